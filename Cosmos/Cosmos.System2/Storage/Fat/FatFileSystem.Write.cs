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
        private long _generation;
        private uint _freeCount = FsInfoUnknown;
        private bool _fsInfoValid;

        /// <summary>The clock used for timestamps (local time, as FAT stores it). Tests may replace it.</summary>
        public Func<DateTime> Clock { get; set; } = () => DateTime.Now;

        /// <summary>Counts changes to directories and the FAT; open <see cref="FatFile"/>s look again when it moves.</summary>
        internal long Generation => _generation;

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
            FatFile file = OpenFile(FindEntry(path) ?? CreateEntry(path, FatAttributes.Archive, 0));
            file.Write(file.Length, data);
            return file.Entry;
        }

        /// <summary>Sets the length of the file at <paramref name="path"/>; growing fills with zeros, shrinking frees clusters.</summary>
        public FatDirectoryEntry Truncate(string path, long length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length);
            FatFile file = OpenFile(path);
            file.SetLength(length);
            return file.Entry;
        }

        /// <summary>Opens the file at <paramref name="path"/>, creating an empty one when it is missing.</summary>
        public FatFile OpenOrCreateFile(string path) => OpenFile(FindEntry(path) ?? CreateEntry(path, FatAttributes.Archive, 0));

        /// <summary>
        /// Moves the entry at <paramref name="path"/> to <paramref name="newPath"/> on this volume, into another
        /// directory if need be (a directory's ".." follows it). The new entry is written before the old one is
        /// removed, so an interruption leaves two names rather than none.
        /// </summary>
        public FatDirectoryEntry Move(string path, string newPath)
        {
            FatDirectoryEntry entry = GetEntry(path);
            if (entry == Root || entry.Parent == null)
            {
                throw new IOException("FAT: the root directory cannot be moved");
            }

            (FatDirectoryEntry newParent, string newName) = SplitParent(newPath);
            if (string.Equals(newParent.Path, entry.Parent.Path, StringComparison.OrdinalIgnoreCase))
            {
                return Rename(entry.Path, newName);
            }

            if (entry.IsDirectory && (newParent.Path + "/").StartsWith(entry.Path + "/", StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"FAT: '{entry.Path}' cannot be moved into itself ('{newPath}')");
            }

            byte[] shortEntry = ReadSlots(entry.Parent, entry.SlotIndex, 1);
            FatDirectoryEntry moved = CreateEntry(newPath, entry.Attributes, entry.FirstCluster, shortEntry);
            MarkSlotsDeleted(entry);
            if (entry.IsDirectory)
            {
                byte[] dotDot = ReadSlots(moved, 1, 1);
                uint parentCluster = newParent == Root ? 0 : newParent.FirstCluster;
                BinaryPrimitives.WriteUInt16LittleEndian(dotDot.AsSpan(20), (ushort)(parentCluster >> 16));
                BinaryPrimitives.WriteUInt16LittleEndian(dotDot.AsSpan(26), (ushort)parentCluster);
                WriteSlots(moved, 1, dotDot);
            }

            return moved;
        }

        /// <summary>Sets or clears the read-only attribute of the entry at <paramref name="path"/>.</summary>
        public FatDirectoryEntry SetReadOnly(string path, bool readOnly) => RewriteShortEntry(path, "attributes", raw =>
        {
            raw[11] = readOnly ? (byte)(raw[11] | (byte)FatAttributes.ReadOnly) : (byte)(raw[11] & ~(byte)FatAttributes.ReadOnly);
        });

        /// <summary>Sets the last-write time (and the access date) of the entry at <paramref name="path"/>.</summary>
        public FatDirectoryEntry SetModified(string path, DateTime modified) => RewriteShortEntry(path, "timestamps", raw =>
        {
            (ushort date, ushort time, _) = EncodeTimestamp(modified);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(18), date);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(22), time);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(24), date);
        });

        // Reads the short entry of `path`, lets `change` edit its 32 bytes, writes it back.
        private FatDirectoryEntry RewriteShortEntry(string path, string what, Action<byte[]> change)
        {
            FatDirectoryEntry entry = GetEntry(path);
            if (entry == Root || entry.Parent == null)
            {
                throw new IOException($"FAT: the root directory has no {what}");
            }

            EnsureWritable();
            byte[] raw = ReadSlots(entry.Parent, entry.SlotIndex, 1);
            change(raw);
            WriteSlots(entry.Parent, entry.SlotIndex, raw);
            _generation++;
            _listings.Remove(entry.Parent.Path);
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

            // The entry goes before its clusters: a power cut in between leaves lost clusters (which fsck reclaims),
            // never an entry whose chain is already free (which readers of the volume trip over).
            IReadOnlyList<uint> chain = entry.FirstCluster != 0 ? Table.ReadChain(entry.FirstCluster, $"'{entry.Path}'") : Array.Empty<uint>();
            MarkSlotsDeleted(entry);
            if (chain.Count > 0)
            {
                FreeChain(chain);
            }
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

                    throw new StorageFullException($"FAT: the volume is full ({count} clusters wanted, {clusters.Count} free)");
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
            _generation++;
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

            _generation++;

            StoreFsInfo();
        }

        // The write path of FatFile.Write: grows the chain, zero-fills a gap past the old end, writes, updates the entry.
        internal void WriteFile(FatFile file, long offset, ReadOnlySpan<byte> data)
        {
            EnsureWritable();
            FatDirectoryEntry entry = file.Entry;
            long end = offset + data.Length;
            long newSize = Math.Max(entry.Size, end);
            if (newSize > uint.MaxValue)
            {
                throw new IOException($"FAT: '{entry.Path}' would grow to {newSize} bytes, past the 4 GiB - 1 limit");
            }

            if (data.IsEmpty && end <= entry.Size)
            {
                return;
            }

            // The open file's chain grows in place (no copy per write): AllocateClusters links the new clusters
            // on the volume before they are added here, so the list and the FAT agree even if a later step fails.
            List<uint> chain = file.Chain;
            int needed = (int)((newSize + BootSector.BytesPerCluster - 1) / BootSector.BytesPerCluster);
            if (needed > chain.Count)
            {
                chain.AddRange(AllocateClusters(needed - chain.Count, chain.Count > 0 ? chain[^1] : 0));
            }

            if (offset > entry.Size)
            {
                byte[] zeros = new byte[(int)Math.Min(offset - entry.Size, 64 * 1024)];
                for (long position = entry.Size; position < offset;)
                {
                    int count = (int)Math.Min(zeros.Length, offset - position);
                    WriteChainBytes(chain, position, zeros.AsSpan(0, count));
                    position += count;
                }
            }

            WriteChainBytes(chain, offset, data);
            file.Updated(UpdateShortEntry(entry, chain.Count > 0 ? chain[0] : 0, (uint)newSize), chain);
        }

        internal void SetFileLength(FatFile file, long length)
        {
            FatDirectoryEntry entry = file.Entry;
            if (length >= entry.Size)
            {
                WriteFile(file, length, ReadOnlySpan<byte>.Empty);
                return;
            }

            EnsureWritable();
            List<uint> chain = file.Chain;
            int needed = (int)((length + BootSector.BytesPerCluster - 1) / BootSector.BytesPerCluster);
            // The entry stops using the clusters before they are freed (and a kept part's chain ends first): an
            // interruption then leaves lost clusters, never an entry pointing into free space.
            List<uint> freed = needed < chain.Count ? chain.GetRange(needed, chain.Count - needed) : new List<uint>();
            if (needed > 0 && freed.Count > 0)
            {
                Table.WriteEntry(chain[needed - 1], Table.EndOfChain);
            }

            chain.RemoveRange(needed, freed.Count);
            file.Updated(UpdateShortEntry(entry, chain.Count > 0 ? chain[0] : 0, (uint)length), chain);
            if (freed.Count > 0)
            {
                FreeChain(freed);
            }
        }

        // Where the bytes at `position` of a file with `chain` lie on the volume, and how many of the next `remaining`
        // bytes follow them contiguously (runs of consecutive clusters become one device request).
        internal (ulong ByteOffset, int Count) NextRun(List<uint> chain, long position, int remaining)
        {
            int clusterBytes = BootSector.BytesPerCluster;
            int index = (int)(position / clusterBytes);
            int within = (int)(position % clusterBytes);
            int run = 1;
            while (index + run < chain.Count && chain[index + run] == chain[index] + run && (long)run * clusterBytes - within < remaining)
            {
                run++;
            }

            int count = (int)Math.Min((long)run * clusterBytes - within, remaining);
            return (ClusterByteOffset(chain[index]) + (ulong)within, count);
        }

        private void WriteChainBytes(List<uint> chain, long offset, ReadOnlySpan<byte> data)
        {
            for (int done = 0; done < data.Length;)
            {
                (ulong byteOffset, int count) = NextRun(chain, offset + done, data.Length - done);
                _cache.Write(byteOffset, data.Slice(done, count), direct: true);
                done += count;
            }
        }
    }
}
