using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Cosmos.System.Storage.Fat
{
    // Directory slots for the write path: finding free runs (growing the directory), writing short and
    // long-name entries, marking entries deleted, and FAT timestamps.
    public sealed partial class FatFileSystem
    {
        private (FatDirectoryEntry Parent, string Name) SplitParent(string path)
        {
            string trimmed = path.Replace('\\', '/').TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            string parentPath = slash <= 0 ? "/" : trimmed.Substring(0, slash);
            string name = trimmed.Substring(slash + 1);
            FatNames.Validate(name);
            FatDirectoryEntry parent = FindEntry(parentPath) ?? throw new DirectoryNotFoundException($"FAT: directory '{parentPath}' not found");
            if (!parent.IsDirectory)
            {
                throw new DirectoryNotFoundException($"FAT: '{parentPath}' is not a directory");
            }

            return (parent, name);
        }

        private FatDirectoryEntry CreateEntry(string path, FatAttributes attributes, uint firstCluster, byte[]? template = null)
        {
            EnsureWritable();
            (FatDirectoryEntry parent, string name) = SplitParent(path);
            List<FatDirectoryEntry> siblings = ReadDirectory(parent);
            var taken = new HashSet<string>();
            foreach (FatDirectoryEntry sibling in siblings)
            {
                if (string.Equals(sibling.Name, name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(sibling.ShortName, name, StringComparison.OrdinalIgnoreCase))
                {
                    throw new IOException($"FAT: '{sibling.Path}' already exists");
                }

                taken.Add(Encoding.Latin1.GetString(sibling.RawShortName));
            }

            byte[] shortName = FatNames.MakeShortName(name, taken, out bool needsLongName, out byte caseFlags);
            byte[] longSlots = needsLongName
                ? FatNames.MakeLongNameSlots(name, FatDirectoryParser.ShortNameChecksum(shortName))
                : Array.Empty<byte>();
            byte[] slots = new byte[longSlots.Length + FatDirectoryParser.EntrySize];
            longSlots.CopyTo(slots, 0);
            Span<byte> shortEntry = slots.AsSpan(longSlots.Length);
            if (template != null)
            {
                template.AsSpan(0, FatDirectoryParser.EntrySize).CopyTo(shortEntry);
                shortName.CopyTo(shortEntry);
            }
            else
            {
                FillShortEntry(shortEntry, shortName, attributes, firstCluster, 0, Clock());
            }

            shortEntry[12] = caseFlags;

            int firstSlot = FindFreeSlots(parent, slots.Length / FatDirectoryParser.EntrySize);
            WriteSlots(parent, firstSlot, slots);
            _generation++;

            // The new entry as a listing would show it: parsed from the slots just written.
            FatDirectoryEntry created = FatDirectoryParser.Parse(slots, parent.Path)[0];
            created.SlotIndex += firstSlot;
            created.FirstSlotIndex += firstSlot;
            created.Parent = parent;
            AddToListing(parent, created);
            return created;
        }

        private static void FillShortEntry(Span<byte> entry, byte[] shortName, FatAttributes attributes, uint firstCluster, uint size, DateTime now)
        {
            entry.Clear();
            shortName.CopyTo(entry);
            entry[11] = (byte)attributes;
            (ushort date, ushort time, byte tenths) = EncodeTimestamp(now);
            entry[13] = tenths;
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(14), time);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(16), date);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(18), date);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(20), (ushort)(firstCluster >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(22), time);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(24), date);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(26), (ushort)firstCluster);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(28), size);
        }

        // Records a file's first cluster and size and stamps its write time; returns the entry as it now is.
        private FatDirectoryEntry UpdateShortEntry(FatDirectoryEntry entry, uint firstCluster, uint size)
        {
            FatDirectoryEntry parent = entry.Parent ?? throw new IOException($"FAT: '{entry.Path}' has no parent directory");
            byte[] raw = ReadSlots(parent, entry.SlotIndex, 1);
            DateTime now = Clock();
            (ushort date, ushort time, _) = EncodeTimestamp(now);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(18), date);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(20), (ushort)(firstCluster >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(22), time);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(24), date);
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(26), (ushort)firstCluster);
            BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(28), size);
            raw[11] |= (byte)FatAttributes.Archive;
            WriteSlots(parent, entry.SlotIndex, raw);
            _generation++;
            FatDirectoryEntry updated = entry.With(firstCluster, size, (FatAttributes)raw[11], DecodeTimestamp(date, time));
            UpdateListing(entry, updated);
            return updated;
        }

        private void MarkSlotsDeleted(FatDirectoryEntry entry)
        {
            FatDirectoryEntry parent = entry.Parent ?? throw new IOException($"FAT: '{entry.Path}' has no parent directory");
            for (int slot = entry.FirstSlotIndex; slot <= entry.SlotIndex; slot++)
            {
                _cache.Write(SlotByteOffset(parent, slot), new byte[] { 0xE5 });
            }

            _generation++;
            UpdateListing(entry, null);
        }

        // The first run of `count` free slots, growing the directory by a zeroed cluster when none is left.
        private int FindFreeSlots(FatDirectoryEntry directory, int count)
        {
            byte[] data = ReadDirectoryBytes(directory);
            int slots = data.Length / FatDirectoryParser.EntrySize;
            int run = 0;
            for (int slot = 0; slot < slots; slot++)
            {
                byte first = data[slot * FatDirectoryParser.EntrySize];
                if (first == 0x00 || first == 0xE5)
                {
                    run++;
                    if (run == count)
                    {
                        return slot - count + 1;
                    }
                }
                else
                {
                    run = 0;
                }
            }

            bool fixedRoot = directory == Root && Type != FatType.Fat32;
            if (fixedRoot)
            {
                throw new StorageFullException($"FAT: the root directory is full ({BootSector.RootEntryCount} entries)");
            }

            int clustersNeeded = ((count - run) * FatDirectoryParser.EntrySize + BootSector.BytesPerCluster - 1) / BootSector.BytesPerCluster;
            if (data.Length + (long)clustersNeeded * BootSector.BytesPerCluster > MaxDirectoryBytes)
            {
                throw new StorageFullException($"FAT: directory '{directory.Path}' is full");
            }

            uint first0 = directory == Root ? BootSector.RootCluster : directory.FirstCluster;
            List<uint> chain = Table.ReadChain(first0, $"directory '{directory.Path}'");
            foreach (uint cluster in AllocateClusters(clustersNeeded, chain[^1]))
            {
                ZeroCluster(cluster);
            }

            return slots - run;
        }

        private ulong SlotByteOffset(FatDirectoryEntry directory, int slot)
        {
            long byteIndex = (long)slot * FatDirectoryParser.EntrySize;
            if (directory == Root && Type != FatType.Fat32)
            {
                return (ulong)BootSector.RootDirectoryFirstSector * (uint)BootSector.BytesPerSector + (ulong)byteIndex;
            }

            uint first = directory == Root ? BootSector.RootCluster : directory.FirstCluster;
            List<uint> chain = Table.ReadChain(first, $"directory '{directory.Path}'");
            int index = (int)(byteIndex / BootSector.BytesPerCluster);
            return ClusterByteOffset(chain[index]) + (ulong)(byteIndex % BootSector.BytesPerCluster);
        }

        private byte[] ReadSlots(FatDirectoryEntry directory, int firstSlot, int count)
        {
            byte[] data = new byte[count * FatDirectoryParser.EntrySize];
            for (int i = 0; i < count; i++)
            {
                _cache.Read(SlotByteOffset(directory, firstSlot + i), data.AsSpan(i * FatDirectoryParser.EntrySize, FatDirectoryParser.EntrySize));
            }

            return data;
        }

        private void WriteSlots(FatDirectoryEntry directory, int firstSlot, byte[] slots)
        {
            for (int i = 0; i < slots.Length / FatDirectoryParser.EntrySize; i++)
            {
                _cache.Write(SlotByteOffset(directory, firstSlot + i), slots.AsSpan(i * FatDirectoryParser.EntrySize, FatDirectoryParser.EntrySize));
            }
        }

        private static DateTime DecodeTimestamp(ushort date, ushort time) =>
            new DateTime(1980 + (date >> 9), (date >> 5) & 0x0F, date & 0x1F, time >> 11, (time >> 5) & 0x3F, (time & 0x1F) * 2);

        private static (ushort Date, ushort Time, byte Tenths) EncodeTimestamp(DateTime now)
        {
            if (now.Year < 1980 || now.Year > 2107)
            {
                now = new DateTime(1980, 1, 1);
            }

            ushort date = (ushort)(((now.Year - 1980) << 9) | (now.Month << 5) | now.Day);
            ushort time = (ushort)((now.Hour << 11) | (now.Minute << 5) | (now.Second / 2));
            byte tenths = (byte)((now.Second % 2) * 100 + now.Millisecond / 10);
            return (date, time, tenths);
        }
    }
}
