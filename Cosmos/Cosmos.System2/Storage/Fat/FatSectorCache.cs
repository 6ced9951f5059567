using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>
    /// Byte-addressed reads of a block device through a small least-recently-used cache of device
    /// blocks. FAT sectors and device blocks may differ in size, so everything above this works in bytes.
    /// Long aligned reads (file data) go straight to the device into the caller's buffer.
    /// </summary>
    public sealed class FatSectorCache
    {
        private readonly IBlockDevice _device;
        private readonly int _capacity;
        private readonly Dictionary<ulong, LinkedListNode<CachedBlock>> _blocks = new Dictionary<ulong, LinkedListNode<CachedBlock>>();
        private readonly LinkedList<CachedBlock> _recency = new LinkedList<CachedBlock>();

        /// <summary>Creates a cache of <paramref name="capacity"/> device blocks.</summary>
        public FatSectorCache(IBlockDevice device, int capacity = 256)
        {
            ArgumentNullException.ThrowIfNull(device);
            ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
            _device = device;
            _capacity = capacity;
        }

        /// <summary>Bytes on the device.</summary>
        public ulong DeviceBytes => _device.BlockCount * (ulong)_device.BlockSize;

        /// <summary>Cache hits so far (for tests and figures).</summary>
        public long Hits { get; private set; }

        /// <summary>Cache misses so far.</summary>
        public long Misses { get; private set; }

        /// <summary>
        /// Reads <paramref name="destination"/>.Length bytes at <paramref name="byteOffset"/>; a range past the device's end throws.
        /// With <paramref name="direct"/> (file data), whole aligned blocks go straight into <paramref name="destination"/>
        /// instead of through the cache, which is kept for metadata.
        /// </summary>
        public void Read(ulong byteOffset, Span<byte> destination, bool direct = false)
        {
            ulong length = (ulong)destination.Length;
            if (byteOffset > DeviceBytes || length > DeviceBytes - byteOffset)
            {
                throw new StorageFormatException(
                    $"FAT: bytes {byteOffset}+{length} lie past the end of the device ({DeviceBytes} bytes)");
            }

            int blockSize = _device.BlockSize;
            while (!destination.IsEmpty)
            {
                ulong block = byteOffset / (ulong)blockSize;
                int within = (int)(byteOffset % (ulong)blockSize);
                if (direct && within == 0 && destination.Length >= blockSize)
                {
                    int blocks = destination.Length / blockSize;
                    ReadDirect(block, destination.Slice(0, blocks * blockSize));
                    destination = destination.Slice(blocks * blockSize);
                    byteOffset += (ulong)(blocks * blockSize);
                    continue;
                }

                int count = Math.Min(blockSize - within, destination.Length);
                GetBlock(block).AsSpan(within, count).CopyTo(destination);
                destination = destination.Slice(count);
                byteOffset += (ulong)count;
            }
        }

        /// <summary>
        /// Writes <paramref name="source"/> at <paramref name="byteOffset"/> through to the device (read-modify-write
        /// of partial blocks), keeping cached copies current. A refused or failed write throws <see cref="StorageIOException"/>.
        /// With <paramref name="direct"/> (file data), runs of whole aligned blocks go to the device in one request and
        /// their cached copies are dropped.
        /// </summary>
        public void Write(ulong byteOffset, ReadOnlySpan<byte> source, bool direct = false)
        {
            ulong length = (ulong)source.Length;
            if (byteOffset > DeviceBytes || length > DeviceBytes - byteOffset)
            {
                throw new StorageFormatException($"FAT: write of bytes {byteOffset}+{length} lies past the end of the device ({DeviceBytes} bytes)");
            }

            if (_device.IsReadOnly)
            {
                throw new StorageIOException("FAT: the device is read-only", BlockResult.ReadOnly);
            }

            int blockSize = _device.BlockSize;
            while (!source.IsEmpty)
            {
                ulong block = byteOffset / (ulong)blockSize;
                int within = (int)(byteOffset % (ulong)blockSize);
                if (direct && within == 0 && source.Length >= blockSize)
                {
                    int blocks = source.Length / blockSize;
                    WriteDirect(block, source.Slice(0, blocks * blockSize));
                    source = source.Slice(blocks * blockSize);
                    byteOffset += (ulong)(blocks * blockSize);
                    continue;
                }

                int count = Math.Min(blockSize - within, source.Length);
                // A block written whole need not be read first.
                byte[] data = count == blockSize ? GetBlock(block, readFromDevice: false) : GetBlock(block);
                source.Slice(0, count).CopyTo(data.AsSpan(within));
                BlockResult result = _device.Write(block, data);
                if (result != BlockResult.Ok)
                {
                    // The cached copy no longer matches the device: drop it.
                    if (_blocks.Remove(block, out LinkedListNode<CachedBlock>? node))
                    {
                        _recency.Remove(node);
                    }

                    throw new StorageIOException($"FAT: write of block {block} failed", result);
                }

                source = source.Slice(count);
                byteOffset += (ulong)count;
            }
        }

        /// <summary>Asks the device to make the writes durable.</summary>
        public void Flush()
        {
            BlockResult result = _device.Flush();
            if (result != BlockResult.Ok && result != BlockResult.Unsupported)
            {
                throw new StorageIOException("FAT: flush failed", result);
            }
        }

        private void ReadDirect(ulong firstBlock, Span<byte> destination)
        {
            BlockResult result = _device.Read(firstBlock, destination);
            if (result != BlockResult.Ok)
            {
                throw new StorageIOException($"FAT: read of {destination.Length / _device.BlockSize} blocks at {firstBlock} failed", result);
            }

            Forget(firstBlock, destination.Length / _device.BlockSize);
        }

        private void WriteDirect(ulong firstBlock, ReadOnlySpan<byte> source)
        {
            // Whatever happens on the device, cached copies of these blocks may no longer match it.
            Forget(firstBlock, source.Length / _device.BlockSize);
            BlockResult result = _device.Write(firstBlock, source);
            if (result != BlockResult.Ok)
            {
                throw new StorageIOException($"FAT: write of {source.Length / _device.BlockSize} blocks at {firstBlock} failed", result);
            }
        }

        // Drops cached copies of `count` blocks from `firstBlock`, so that data read or written around the cache stays authoritative.
        private void Forget(ulong firstBlock, int count)
        {
            ulong end = firstBlock + (ulong)count;
            if (_blocks.Count < count)
            {
                // Fewer cached blocks than blocks in the range (a large file transfer): look at the cache, not the range.
                LinkedListNode<CachedBlock>? node = _recency.First;
                while (node != null)
                {
                    LinkedListNode<CachedBlock>? next = node.Next;
                    if (node.Value.Block >= firstBlock && node.Value.Block < end)
                    {
                        _blocks.Remove(node.Value.Block);
                        _recency.Remove(node);
                    }

                    node = next;
                }

                return;
            }

            for (ulong b = firstBlock; b < end; b++)
            {
                if (_blocks.Remove(b, out LinkedListNode<CachedBlock>? cached))
                {
                    _recency.Remove(cached);
                }
            }
        }

        private byte[] GetBlock(ulong block, bool readFromDevice = true)
        {
            if (_blocks.TryGetValue(block, out LinkedListNode<CachedBlock>? node))
            {
                Hits++;
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Data;
            }

            Misses++;
            byte[] data;
            if (_blocks.Count >= _capacity)
            {
                LinkedListNode<CachedBlock> oldest = _recency.Last!;
                _recency.RemoveLast();
                _blocks.Remove(oldest.Value.Block);
                data = oldest.Value.Data;
            }
            else
            {
                data = new byte[_device.BlockSize];
            }

            if (readFromDevice)
            {
                BlockResult result = _device.Read(block, data);
                if (result != BlockResult.Ok)
                {
                    throw new StorageIOException($"FAT: read of block {block} failed", result);
                }
            }

            node = _recency.AddFirst(new CachedBlock(block, data));
            _blocks[block] = node;
            return data;
        }

        private sealed class CachedBlock
        {
            public CachedBlock(ulong block, byte[] data)
            {
                Block = block;
                Data = data;
            }

            public ulong Block { get; }

            public byte[] Data { get; }
        }
    }
}
