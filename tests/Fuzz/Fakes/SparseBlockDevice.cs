using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// A disk of <see cref="BlockCount"/> 512-byte blocks that reads as zeros except where a block was put:
    /// a FAT32 volume needs a FAT of hundreds of KiB, of which a seed only has to hold the few non-zero sectors.
    /// A request past the end is a parser bug (it trusted a size it should have checked), not a disk error.
    /// </summary>
    internal sealed class SparseBlockDevice : IBlockDevice
    {
        public const int SectorSize = 512;

        private readonly Dictionary<ulong, byte[]> _blocks = new();

        public SparseBlockDevice(ulong blockCount)
        {
            BlockCount = blockCount;
        }

        /// <summary>A device holding <paramref name="image"/> from block 0, at least <paramref name="minimumBlocks"/> long.</summary>
        public static SparseBlockDevice FromImage(ReadOnlySpan<byte> image, ulong minimumBlocks)
        {
            ulong blocks = Math.Max(minimumBlocks, (ulong)((image.Length + SectorSize - 1) / SectorSize));
            var device = new SparseBlockDevice(blocks);
            device.Put(0, image);
            return device;
        }

        public ulong BlockCount { get; }

        public int BlockSize => SectorSize;

        public bool IsReadOnly => false;

        public DeviceClass Class => DeviceClass.Block;

        public string NameStem => "vd";

        public string DriverName => "fuzz-sparse";

        public string Transport => "fuzz";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        /// <summary>Copies <paramref name="data"/> in from <paramref name="firstBlock"/> (the part past the end is dropped).</summary>
        public void Put(ulong firstBlock, ReadOnlySpan<byte> data)
        {
            for (int offset = 0; offset < data.Length && firstBlock < BlockCount; offset += SectorSize, firstBlock++)
            {
                byte[] block = new byte[SectorSize];
                data.Slice(offset, Math.Min(SectorSize, data.Length - offset)).CopyTo(block);
                _blocks[firstBlock] = block;
            }
        }

        public BlockResult Read(ulong firstBlock, Span<byte> buffer)
        {
            Check(firstBlock, buffer.Length);
            for (int offset = 0; offset < buffer.Length; offset += SectorSize, firstBlock++)
            {
                Span<byte> target = buffer.Slice(offset, SectorSize);
                if (_blocks.TryGetValue(firstBlock, out byte[]? block))
                {
                    block.CopyTo(target);
                }
                else
                {
                    target.Clear();
                }
            }

            return BlockResult.Ok;
        }

        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer)
        {
            Check(firstBlock, buffer.Length);
            Put(firstBlock, buffer);
            return BlockResult.Ok;
        }

        public BlockResult Flush() => BlockResult.Ok;

        private void Check(ulong firstBlock, int length)
        {
            if (length % SectorSize != 0)
            {
                throw new FuzzFindingException($"block request of {length} bytes is not whole blocks");
            }

            if (firstBlock > BlockCount || (ulong)(length / SectorSize) > BlockCount - firstBlock)
            {
                throw new FuzzFindingException($"block request {firstBlock}+{length / SectorSize} past the end of {BlockCount} blocks");
            }
        }
    }
}
