using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.System.Storage.Partitions
{
    /// <summary>A partition seen as a disk of its own: block 0 is the partition's first block, and no request leaves it.</summary>
    public sealed class PartitionBlockDevice : IBlockDevice
    {
        private readonly IBlockDevice _disk;

        /// <summary>Creates the view; the partition must lie inside <paramref name="disk"/>.</summary>
        public PartitionBlockDevice(IBlockDevice disk, Partition partition)
        {
            ArgumentNullException.ThrowIfNull(disk);
            ArgumentNullException.ThrowIfNull(partition);
            if (partition.FirstBlock >= disk.BlockCount || partition.BlockCount > disk.BlockCount - partition.FirstBlock)
            {
                throw new ArgumentException(
                    $"partition {partition.Index} ({partition.FirstBlock}+{partition.BlockCount}) does not fit the disk of {disk.BlockCount} blocks",
                    nameof(partition));
            }

            _disk = disk;
            Partition = partition;
        }

        /// <summary>The partition this device shows.</summary>
        public Partition Partition { get; }

        /// <inheritdoc/>
        public ulong BlockCount => Partition.BlockCount;

        /// <inheritdoc/>
        public int BlockSize => _disk.BlockSize;

        /// <inheritdoc/>
        public bool IsReadOnly => _disk.IsReadOnly;

        /// <inheritdoc/>
        public DeviceClass Class => DeviceClass.Block;

        /// <inheritdoc/>
        public string NameStem => _disk.NameStem;

        /// <inheritdoc/>
        public string DriverName => "partition";

        /// <inheritdoc/>
        public string Transport => $"partition {Partition.Index} of {_disk.DriverName}";

        /// <inheritdoc/>
        public InterruptMode InterruptMode => _disk.InterruptMode;

        /// <inheritdoc/>
        public BlockResult Read(ulong firstBlock, Span<byte> buffer)
        {
            CheckRange(firstBlock, buffer.Length);
            return _disk.Read(Partition.FirstBlock + firstBlock, buffer);
        }

        /// <inheritdoc/>
        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer)
        {
            CheckRange(firstBlock, buffer.Length);
            if (_disk.IsReadOnly)
            {
                return BlockResult.ReadOnly;
            }

            return _disk.Write(Partition.FirstBlock + firstBlock, buffer);
        }

        /// <inheritdoc/>
        public BlockResult Flush() => _disk.Flush();

        private void CheckRange(ulong firstBlock, int byteCount)
        {
            if (byteCount % BlockSize != 0)
            {
                throw new ArgumentException($"buffer of {byteCount} bytes is not a multiple of the block size {BlockSize}");
            }

            ulong blocks = (ulong)(byteCount / BlockSize);
            if (firstBlock > BlockCount || blocks > BlockCount - firstBlock)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBlock),
                    $"blocks {firstBlock}+{blocks} leave partition {Partition.Index} of {BlockCount} blocks");
            }
        }
    }
}
