using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.System.Tests.Storage
{
    /// <summary>An <see cref="IBlockDevice"/> over a byte array (a disk image read from a file).</summary>
    internal sealed class MemoryBlockDevice : IBlockDevice
    {
        public MemoryBlockDevice(byte[] image, int blockSize = 512, bool readOnly = false)
        {
            Image = image;
            BlockSize = blockSize;
            IsReadOnly = readOnly;
        }

        public byte[] Image { get; }

        public int ReadRequests { get; private set; }

        /// <summary>Reads touching this block or later fail with <see cref="BlockResult.IoError"/> (a dying disk).</summary>
        public ulong FailReadsFrom { get; set; } = ulong.MaxValue;

        public ulong BlockCount => (ulong)(Image.Length / BlockSize);

        public int BlockSize { get; }

        public bool IsReadOnly { get; }

        public DeviceClass Class => DeviceClass.Block;

        public string NameStem => "vd";

        public string DriverName => "memory";

        public string Transport => "test";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public BlockResult Read(ulong firstBlock, Span<byte> buffer)
        {
            ReadRequests++;
            Check(firstBlock, buffer.Length);
            if (firstBlock + (ulong)(buffer.Length / BlockSize) > FailReadsFrom)
            {
                return BlockResult.IoError;
            }

            Image.AsSpan(checked((int)firstBlock * BlockSize), buffer.Length).CopyTo(buffer);
            return BlockResult.Ok;
        }

        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer)
        {
            if (IsReadOnly)
            {
                return BlockResult.ReadOnly;
            }

            Check(firstBlock, buffer.Length);
            buffer.CopyTo(Image.AsSpan(checked((int)firstBlock * BlockSize)));
            return BlockResult.Ok;
        }

        public BlockResult Flush() => BlockResult.Ok;

        // A real disk rejects such a request; a fake that silently served it would hide parser bugs.
        private void Check(ulong firstBlock, int length)
        {
            if (length % BlockSize != 0)
            {
                throw new InvalidOperationException($"request of {length} bytes is not whole blocks");
            }

            if (firstBlock > BlockCount || (ulong)(length / BlockSize) > BlockCount - firstBlock)
            {
                throw new InvalidOperationException($"request {firstBlock}+{length / BlockSize} past the end of {BlockCount} blocks");
            }
        }
    }
}
