using System;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage
{
    /// <summary>Checked whole-block reads for the partition parsers.</summary>
    internal static class BlockDeviceReader
    {
        /// <summary>Reads <paramref name="blockCount"/> blocks from <paramref name="firstBlock"/>, refusing any read past the end.</summary>
        public static byte[] ReadBlocks(IBlockDevice device, ulong firstBlock, ulong blockCount, string what)
        {
            if (blockCount == 0 || firstBlock >= device.BlockCount || blockCount > device.BlockCount - firstBlock)
            {
                throw new StorageFormatException(
                    $"{what}: blocks {firstBlock}..{firstBlock + blockCount - 1} lie outside the disk of {device.BlockCount} blocks");
            }

            if (blockCount > int.MaxValue / (ulong)device.BlockSize)
            {
                throw new StorageFormatException($"{what}: {blockCount} blocks is too large to read");
            }

            byte[] buffer = new byte[(int)blockCount * device.BlockSize];
            BlockResult result = device.Read(firstBlock, buffer);
            if (result != BlockResult.Ok)
            {
                throw new StorageIOException($"{what}: read of block {firstBlock} failed", result);
            }

            return buffer;
        }
    }
}
