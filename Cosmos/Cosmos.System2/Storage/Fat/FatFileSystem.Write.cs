using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage.Fat
{
    // The write path: every change goes through to the device at once (write-through cache), both FAT
    // copies are written together, and FAT32's FSInfo free count and next-free hint are kept current.
    public sealed partial class FatFileSystem
    {
        private const uint FsInfoLeadSignature = 0x41615252;
        private const uint FsInfoStructSignature = 0x61417272;
        private const uint FsInfoUnknown = 0xFFFFFFFF;

        private uint _nextFreeHint = 2;
        private uint _freeCount = FsInfoUnknown;
        private bool _fsInfoValid;

        /// <summary>The clock used for timestamps (local time, as FAT stores it). Tests may replace it.</summary>
        public Func<DateTime> Clock { get; set; } = () => DateTime.Now;

        /// <summary>Free clusters per FSInfo (FAT32, when valid), or null when not known.</summary>
        public uint? FreeClusterHint => _fsInfoValid && _freeCount != FsInfoUnknown ? _freeCount : null;

        /// <summary>Counts the free clusters by reading the whole FAT.</summary>
        public uint CountFreeClusters()
        {
            uint free = 0;
            for (uint cluster = 2; cluster <= Table.LastCluster; cluster++)
            {
                if (Table.ReadEntry(cluster) == 0)
                {
                    free++;
                }
            }

            return free;
        }

        /// <summary>Creates or replaces the file at <paramref name="path"/> with <paramref name="data"/>.</summary>
        public FatDirectoryEntry WriteAllBytes(string path, ReadOnlySpan<byte> data)
        {
            FatDirectoryEntry? existing = FindEntry(path);
            if (existing == null)
            {
                existing = CreateEntry(path, FatAttributes.Archive, 0);
            }
            else if (existing.IsDirectory)
            {
                throw new UnauthorizedAccessException($"FAT: '{path}' is a directory");
            }

            Truncate(existing.Path, 0);
            return Append(existing.Path, data);
        }

        /// <summary>Appends <paramref name="data"/> to the file at <paramref name="path"/>, creating it when missing.</summary>
        public FatDirectoryEntry Append(string path, ReadOnlySpan<byte> data)
        {
            FatDirectoryEntry entry = FindEntry(path) ?? CreateEntry(path, FatAttributes.Archive, 0);
            if (entry.IsDirectory)
            {
                throw new UnauthorizedAccessException($"FAT: '{path}' is a directory");
            }

            long newSize = entry.Size + (long)data.Length;
            if (newSize > uint.MaxValue)
            {
                throw new IOException($"FAT: '{path}' would grow to {newSize} bytes, past the 4 GiB - 1 limit");
            }

            List<uint> chain = ResizeChain(entry, newSize);
            WriteChainBytes(chain, entry.Size, data);
            uint firstCluster = chain.Count > 0 ? chain[0] : 0;
            UpdateShortEntry(entry, firstCluster, (uint)newSize);
            return GetEntry(entry.Path);
        }

        /// <summary>Sets the length of the file at <paramref name="path"/>; growing fills with zeros, shrinking frees clusters.</summary>
        public FatDirectoryEntry Truncate(string path, long length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length);
            FatDirectoryEntry entry = GetEntry(path);
            if (entry.IsDirectory)
            {
                throw new UnauthorizedAccessException($"FAT: '{path}' is a directory");
            }

            if (length > entry.Size)
            {
                return Append(path, new byte[length - entry.Size]);
            }

            List<uint> chain = ResizeChain(entry, length);
            UpdateShortEntry(entry, chain.Count > 0 ? chain[0] : 0, (uint)length);
            return GetEntry(entry.Path);
        }

        /// <summary>Creates the directory <paramref name="path"/> (its parent must exist).</summary>
        public FatDirectoryEntry CreateDirectory(string path)
        {
            if (FindEntry(path) != null)
            {
                throw new IOException($"FAT: '{path}' already exists");
            }

            SplitParent(path);
            List<uint> cluster = AllocateClusters(1, 0);
            ZeroCluster(cluster[0]);
            FatDirectoryEntry entry;
            try
            {
                entry = CreateEntry(path, FatAttributes.Directory, cluster[0]);
            }
            catch (Exception)
            {
                // A full fixed root must not leave the new directory's cluster lost.
                FreeChain(cluster);
                throw;
            }

            uint parentCluster = entry.Parent == null || entry.Parent == Root ? 0 : entry.Parent.FirstCluster;
            byte[] dots = new byte[2 * FatDirectoryParser.EntrySize];
            FillShortEntry(dots.AsSpan(0, 32), Encoding.ASCII.GetBytes(".          "), FatAttributes.Directory, cluster[0], 0, Clock());
            FillShortEntry(dots.AsSpan(32, 32), Encoding.ASCII.GetBytes("..         "), FatAttributes.Directory, parentCluster, 0, Clock());
            _cache.Write(ClusterByteOffset(cluster[0]), dots);
            return entry;
        }

        /// <summary>Deletes the file or empty directory at <paramref name="path"/>.</summary>
        public void Delete(string path)
        {
            FatDirectoryEntry entry = GetEntry(path);
            if (entry == Root)
            {
                throw new IOException("FAT: the root directory cannot be deleted");
            }

            if (entry.IsDirectory && ReadDirectory(entry).Count > 0)
            {
                throw new IOException($"FAT: directory '{path}' is not empty");
            }

            if (entry.FirstCluster != 0)
            {
                FreeChain(Table.ReadChain(entry.FirstCluster, $"'{entry.Path}'"));
            }

            MarkSlotsDeleted(entry);
        }

        /// <summary>Renames the entry at <paramref name="path"/> to <paramref name="newName"/> in the same directory.</summary>
        public FatDirectoryEntry Rename(string path, string newName)
        {
            FatNames.Validate(newName);
            FatDirectoryEntry entry = GetEntry(path);
            if (entry == Root || entry.Parent == null)
            {
                throw new IOException("FAT: the root directory cannot be renamed");
            }

            string parentPath = entry.Parent.Path;
            string newPath = parentPath == "/" ? "/" + newName : parentPath + "/" + newName;
            FatDirectoryEntry? clash = FindEntry(newPath);
            if (clash != null && clash.SlotIndex != entry.SlotIndex)
            {
                throw new IOException($"FAT: '{newPath}' already exists");
            }

            byte[] shortEntry = ReadSlots(entry.Parent, entry.SlotIndex, 1);
            MarkSlotsDeleted(entry);
            // The entry stays in the same directory, so a directory's ".." needs no change.
            return CreateEntry(newPath, entry.Attributes, entry.FirstCluster, shortEntry);
        }

        /// <summary>Makes all writes durable on the device.</summary>
        public void Flush() => _cache.Flush();

        private void LoadFsInfo()
        {
            if (Type != FatType.Fat32 || BootSector.FsInfoSector == 0 || BootSector.FsInfoSector >= BootSector.ReservedSectors)
            {
                return;
            }

            byte[] sector = new byte[512];
            _cache.Read((ulong)BootSector.FsInfoSector * (uint)BootSector.BytesPerSector, sector);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sector) != FsInfoLeadSignature
                || BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(484)) != FsInfoStructSignature)
            {
                return;
            }

            _fsInfoValid = true;
            _freeCount = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(488));
            if (_freeCount != FsInfoUnknown && _freeCount > BootSector.ClusterCount)
            {
                _freeCount = FsInfoUnknown;
            }

            uint next = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(492));
            _nextFreeHint = Table.IsValidCluster(next) ? next : 2;
        }

        private void StoreFsInfo()
        {
            if (!_fsInfoValid)
            {
                return;
            }

            Span<byte> fields = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(fields, _freeCount);
            BinaryPrimitives.WriteUInt32LittleEndian(fields.Slice(4), _nextFreeHint);
            _cache.Write((ulong)BootSector.FsInfoSector * (uint)BootSector.BytesPerSector + 488, fields);
        }

        private void EnsureWritable()
        {
            if (Device.IsReadOnly)
            {
                throw new StorageIOException("FAT: the volume's device is read-only", BlockResult.ReadOnly);
            }
        }

        private ulong ClusterByteOffset(uint cluster) => BootSector.ClusterFirstSector(cluster) * (uint)BootSector.BytesPerSector;

        private void ZeroCluster(uint cluster) => _cache.Write(ClusterByteOffset(cluster), new byte[BootSector.BytesPerCluster]);

        // Allocates count clusters, linked in order, ending in end-of-chain; "after" (0 for none) is linked to the first.
        private List<uint> AllocateClusters(int count, uint after)
        {
            EnsureWritable();
            var clusters = new List<uint>(count);
            uint cluster = _nextFreeHint;
            for (uint scanned = 0; clusters.Count < count; scanned++)
            {
                if (scanned > BootSector.ClusterCount)
                {
                    // Give back what was taken so that a full volume is not left with a half-made chain.
                    foreach (uint taken in clusters)
                    {
                        Table.WriteEntry(taken, 0);
                    }

                    throw new IOException($"FAT: the volume is full ({count} clusters wanted, {clusters.Count} free)");
                }

                if (!Table.IsValidCluster(cluster))
                {
                    cluster = 2;
                }

                if (Table.ReadEntry(cluster) == 0)
                {
                    Table.WriteEntry(cluster, Table.EndOfChain);
                    clusters.Add(cluster);
                }

                cluster++;
            }

            for (int i = 0; i + 1 < clusters.Count; i++)
            {
                Table.WriteEntry(clusters[i], clusters[i + 1]);
            }

            if (after != 0 && clusters.Count > 0)
            {
                Table.WriteEntry(after, clusters[0]);
            }

            _nextFreeHint = Table.IsValidCluster(cluster) ? cluster : 2;
            if (_freeCount != FsInfoUnknown)
            {
                _freeCount -= (uint)clusters.Count;
            }

            StoreFsInfo();
            return clusters;
        }

        private void FreeChain(IReadOnlyList<uint> clusters)
        {
            EnsureWritable();
            foreach (uint cluster in clusters)
            {
                Table.WriteEntry(cluster, 0);
            }

            if (_freeCount != FsInfoUnknown)
            {
                _freeCount += (uint)clusters.Count;
            }

            StoreFsInfo();
        }

        // Gives the entry's chain exactly the clusters that newSize needs and returns it.
        private List<uint> ResizeChain(FatDirectoryEntry entry, long newSize)
        {
            EnsureWritable();
            List<uint> chain = entry.FirstCluster == 0 ? new List<uint>() : Table.ReadChain(entry.FirstCluster, $"file '{entry.Path}'");
            int needed = (int)((newSize + BootSector.BytesPerCluster - 1) / BootSector.BytesPerCluster);
            if (needed > chain.Count)
            {
                chain.AddRange(AllocateClusters(needed - chain.Count, chain.Count > 0 ? chain[^1] : 0));
            }
            else if (needed < chain.Count)
            {
                FreeChain(chain.GetRange(needed, chain.Count - needed));
                chain.RemoveRange(needed, chain.Count - needed);
                if (needed > 0)
                {
                    Table.WriteEntry(chain[^1], Table.EndOfChain);
                }
            }

            return chain;
        }

        private void WriteChainBytes(List<uint> chain, long offset, ReadOnlySpan<byte> data)
        {
            int clusterBytes = BootSector.BytesPerCluster;
            while (!data.IsEmpty)
            {
                int index = (int)(offset / clusterBytes);
                int within = (int)(offset % clusterBytes);
                int count = Math.Min(clusterBytes - within, data.Length);
                _cache.Write(ClusterByteOffset(chain[index]) + (ulong)within, data.Slice(0, count));
                data = data.Slice(count);
                offset += count;
            }
        }
    }
}
