using System.IO;

namespace Cosmos.System.Storage
{
    /// <summary>The volume has no free cluster left, or a directory cannot hold another entry.</summary>
    public sealed class StorageFullException : IOException
    {
        /// <summary>Creates the exception with a message saying what was full.</summary>
        public StorageFullException(string message) : base(message)
        {
        }
    }
}
