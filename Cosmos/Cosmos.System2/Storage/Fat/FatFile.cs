using System;
using System.Collections.Generic;
using System.IO;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>
    /// An open file: its cluster chain is read and checked once, then reads and writes go by offset.
    /// When the volume changes through another handle, the entry and chain are looked up again before
    /// the next operation; a file deleted or renamed meanwhile then reads as not found.
    /// </summary>
    public sealed class FatFile
    {
        private readonly FatFileSystem _fileSystem;
        private long _generation;

        internal FatFile(FatFileSystem fileSystem, FatDirectoryEntry entry)
        {
            _fileSystem = fileSystem;
            Entry = entry;
            Chain = LoadChain(fileSystem, entry);
            _generation = fileSystem.Generation;
        }

        /// <summary>The directory entry of the file as it is now.</summary>
        public FatDirectoryEntry Entry { get; private set; }

        /// <summary>Length in bytes.</summary>
        public long Length
        {
            get
            {
                Refresh();
                return Entry.Size;
            }
        }

        /// <summary>The file's clusters in order (for tests and tools).</summary>
        public IReadOnlyList<uint> Clusters => Chain;

        internal List<uint> Chain { get; private set; }

        /// <summary>
        /// Reads up to <paramref name="buffer"/>.Length bytes from <paramref name="offset"/>; returns the count
        /// read, 0 at or past the end. Runs of consecutive clusters are read with one device request.
        /// </summary>
        public int Read(long offset, Span<byte> buffer)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            Refresh();
            long length = Entry.Size;
            if (offset >= length || buffer.IsEmpty)
            {
                return 0;
            }

            int total = (int)Math.Min(buffer.Length, length - offset);
            for (int done = 0; done < total;)
            {
                (ulong byteOffset, int count) = _fileSystem.NextRun(Chain, offset + done, total - done);
                _fileSystem.ReadFileData(byteOffset, buffer.Slice(done, count));
                done += count;
            }

            return total;
        }

        /// <summary>
        /// Writes <paramref name="data"/> at <paramref name="offset"/>, growing the file as needed; a gap between
        /// the old end and <paramref name="offset"/> reads as zeros. The directory entry is updated at once.
        /// </summary>
        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            Refresh();
            _fileSystem.WriteFile(this, offset, data);
        }

        /// <summary>Sets the length: growing fills with zeros, shrinking frees the clusters no longer needed.</summary>
        public void SetLength(long length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length);
            Refresh();
            _fileSystem.SetFileLength(this, length);
        }

        internal void Updated(FatDirectoryEntry entry, List<uint> chain)
        {
            Entry = entry;
            Chain = chain;
            _generation = _fileSystem.Generation;
        }

        private void Refresh()
        {
            if (_generation == _fileSystem.Generation)
            {
                return;
            }

            FatDirectoryEntry entry = _fileSystem.FindEntry(Entry.Path)
                ?? throw new FileNotFoundException($"FAT: '{Entry.Path}' was deleted or renamed while open", Entry.Path);
            Updated(entry, LoadChain(_fileSystem, entry));
        }

        private static List<uint> LoadChain(FatFileSystem fileSystem, FatDirectoryEntry entry)
        {
            if (entry.FirstCluster == 0)
            {
                if (entry.Size != 0)
                {
                    throw new StorageFormatException($"FAT: file '{entry.Path}' of {entry.Size} bytes has no clusters");
                }

                return new List<uint>();
            }

            List<uint> chain = fileSystem.Table.ReadChain(entry.FirstCluster, $"file '{entry.Path}'");
            long capacity = (long)chain.Count * fileSystem.BootSector.BytesPerCluster;
            if (capacity < entry.Size)
            {
                throw new StorageFormatException(
                    $"FAT: file '{entry.Path}' of {entry.Size} bytes has only {chain.Count} clusters ({capacity} bytes)");
            }

            return chain;
        }
    }
}
