using System;
using System.Collections.Generic;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>An open file: its cluster chain is read and checked once, then reads go by offset.</summary>
    public sealed class FatFile
    {
        private readonly FatFileSystem _fileSystem;
        private readonly List<uint> _clusters;

        internal FatFile(FatFileSystem fileSystem, FatDirectoryEntry entry)
        {
            _fileSystem = fileSystem;
            Entry = entry;
            if (entry.Size == 0)
            {
                _clusters = new List<uint>();
                return;
            }

            _clusters = fileSystem.Table.ReadChain(entry.FirstCluster, $"file '{entry.Path}'");
            long capacity = (long)_clusters.Count * fileSystem.BootSector.BytesPerCluster;
            if (capacity < entry.Size)
            {
                throw new StorageFormatException(
                    $"FAT: file '{entry.Path}' of {entry.Size} bytes has only {_clusters.Count} clusters ({capacity} bytes)");
            }
        }

        /// <summary>The directory entry of the file.</summary>
        public FatDirectoryEntry Entry { get; }

        /// <summary>Length in bytes.</summary>
        public long Length => Entry.Size;

        /// <summary>The file's clusters in order (for tests and tools).</summary>
        public IReadOnlyList<uint> Clusters => _clusters;

        /// <summary>
        /// Reads up to <paramref name="buffer"/>.Length bytes from <paramref name="offset"/>; returns the count
        /// read, 0 at or past the end. Runs of consecutive clusters are read with one device request.
        /// </summary>
        public int Read(long offset, Span<byte> buffer)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            if (offset >= Length || buffer.IsEmpty)
            {
                return 0;
            }

            int total = (int)Math.Min(buffer.Length, Length - offset);
            int clusterBytes = _fileSystem.BootSector.BytesPerCluster;
            uint sectorBytes = (uint)_fileSystem.BootSector.BytesPerSector;
            int done = 0;
            while (done < total)
            {
                long position = offset + done;
                int index = (int)(position / clusterBytes);
                int within = (int)(position % clusterBytes);
                int run = 1;
                while (index + run < _clusters.Count && _clusters[index + run] == _clusters[index] + run
                    && (long)run * clusterBytes - within < total - done)
                {
                    run++;
                }

                int count = (int)Math.Min((long)run * clusterBytes - within, total - done);
                ulong byteOffset = _fileSystem.BootSector.ClusterFirstSector(_clusters[index]) * sectorBytes + (ulong)within;
                _fileSystem.ReadFileData(byteOffset, buffer.Slice(done, count));
                done += count;
            }

            return total;
        }
    }
}
