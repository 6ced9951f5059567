using System.IO;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage
{
    /// <summary>A block request failed on the device; <see cref="Result"/> says how.</summary>
    public sealed class StorageIOException : IOException
    {
        /// <summary>Creates the exception for a failed request.</summary>
        public StorageIOException(string message, BlockResult result) : base(message + ": " + result)
        {
            Result = result;
        }

        /// <summary>The device's answer to the failed request.</summary>
        public BlockResult Result { get; }
    }
}
