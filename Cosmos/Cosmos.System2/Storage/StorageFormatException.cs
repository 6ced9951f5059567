using System;

namespace Cosmos.System.Storage
{
    /// <summary>
    /// A partition table or file system on a disk is corrupt or not what it claims to be.
    /// The message names the structure, the field and the value that was wrong.
    /// </summary>
    public sealed class StorageFormatException : Exception
    {
        /// <summary>Creates the exception with a message naming the bad value.</summary>
        public StorageFormatException(string message) : base(message)
        {
        }
    }
}
