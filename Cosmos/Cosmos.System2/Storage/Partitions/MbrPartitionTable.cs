using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage.Partitions
{
    /// <summary>Reads the classic MBR partition table: four primary slots and a chain of extended boot records.</summary>
    public static class MbrPartitionTable
    {
        /// <summary>The partition type of a GPT protective MBR entry.</summary>
        public const byte ProtectiveGptType = 0xEE;

        private const int EntryTableOffset = 446;
        private const int EntrySize = 16;
        private const int SignatureOffset = 510;
        private const int MaxLogicalPartitions = 128;

        /// <summary>
        /// True when block 0 of <paramref name="sector0"/> carries the 0x55AA signature and four
        /// well-formed entries (boot indicator 0x00 or 0x80) — which a FAT boot sector, whose code
        /// and messages fill the same bytes, almost never has.
        /// </summary>
        public static bool LooksLikeMbr(ReadOnlySpan<byte> sector0)
        {
            if (sector0.Length < 512 || sector0[SignatureOffset] != 0x55 || sector0[SignatureOffset + 1] != 0xAA)
            {
                return false;
            }

            bool anyUsed = false;
            for (int slot = 0; slot < 4; slot++)
            {
                ReadOnlySpan<byte> entry = sector0.Slice(EntryTableOffset + slot * EntrySize, EntrySize);
                if (entry[0] != 0x00 && entry[0] != 0x80)
                {
                    return false;
                }

                anyUsed |= entry[4] != 0;
            }

            return anyUsed;
        }

        /// <summary>True when a well-formed MBR holds a protective (0xEE) entry: the disk is GPT.</summary>
        public static bool IsProtective(ReadOnlySpan<byte> sector0)
        {
            if (!LooksLikeMbr(sector0))
            {
                return false;
            }

            for (int slot = 0; slot < 4; slot++)
            {
                if (sector0[EntryTableOffset + slot * EntrySize + 4] == ProtectiveGptType)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Reads the primary and logical partitions; a corrupt table throws <see cref="StorageFormatException"/>.</summary>
        public static List<Partition> Read(IBlockDevice device)
        {
            byte[] sector0 = BlockDeviceReader.ReadBlocks(device, 0, 1, "MBR");
            if (!LooksLikeMbr(sector0))
            {
                throw new StorageFormatException("MBR: block 0 has no valid partition table (signature or boot indicator wrong)");
            }

            var partitions = new List<Partition>();
            ulong extendedStart = 0;
            ulong extendedCount = 0;
            for (int slot = 0; slot < 4; slot++)
            {
                ReadOnlySpan<byte> entry = sector0.AsSpan(EntryTableOffset + slot * EntrySize, EntrySize);
                byte type = entry[4];
                if (type == 0)
                {
                    continue;
                }

                ulong start = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8));
                ulong count = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(12));
                CheckExtent(device, $"MBR entry {slot + 1} (type 0x{type:x2})", start, count);
                if (IsExtended(type))
                {
                    if (extendedCount != 0)
                    {
                        throw new StorageFormatException($"MBR: entry {slot + 1} is a second extended partition");
                    }

                    extendedStart = start;
                    extendedCount = count;
                    continue;
                }

                partitions.Add(new Partition(slot + 1, start, count, $"0x{type:x2}", "", type, Guid.Empty));
            }

            if (extendedCount != 0)
            {
                ReadLogicalPartitions(device, extendedStart, extendedCount, partitions);
            }

            return partitions;
        }

        private static bool IsExtended(byte type) => type == 0x05 || type == 0x0F || type == 0x85;

        private static void CheckExtent(IBlockDevice device, string what, ulong start, ulong count)
        {
            if (start == 0 || count == 0 || start >= device.BlockCount || count > device.BlockCount - start)
            {
                throw new StorageFormatException(
                    $"{what}: start {start}, count {count} does not fit the disk of {device.BlockCount} blocks");
            }
        }

        // Each EBR holds the logical partition (start relative to this EBR) and a link to the next EBR
        // (start relative to the extended partition's start).
        private static void ReadLogicalPartitions(IBlockDevice device, ulong extendedStart, ulong extendedCount, List<Partition> partitions)
        {
            ulong extendedEnd = extendedStart + extendedCount;
            var visited = new HashSet<ulong>();
            ulong ebr = extendedStart;
            int index = 5;
            while (true)
            {
                if (!visited.Add(ebr) || visited.Count > MaxLogicalPartitions)
                {
                    throw new StorageFormatException($"MBR: the extended boot record chain loops or is too long (at block {ebr})");
                }

                byte[] sector = BlockDeviceReader.ReadBlocks(device, ebr, 1, $"EBR at block {ebr}");
                if (sector[SignatureOffset] != 0x55 || sector[SignatureOffset + 1] != 0xAA)
                {
                    throw new StorageFormatException(
                        $"EBR at block {ebr}: signature 0x{sector[SignatureOffset]:x2}{sector[SignatureOffset + 1]:x2}, expected 0x55aa");
                }

                ReadOnlySpan<byte> logical = sector.AsSpan(EntryTableOffset, EntrySize);
                if (logical[4] != 0)
                {
                    ulong start = ebr + BinaryPrimitives.ReadUInt32LittleEndian(logical.Slice(8));
                    ulong count = BinaryPrimitives.ReadUInt32LittleEndian(logical.Slice(12));
                    CheckExtent(device, $"logical partition {index}", start, count);
                    if (start + count > extendedEnd)
                    {
                        throw new StorageFormatException(
                            $"logical partition {index}: blocks {start}..{start + count - 1} leave the extended partition ending at {extendedEnd - 1}");
                    }

                    partitions.Add(new Partition(index, start, count, $"0x{logical[4]:x2}", "", logical[4], Guid.Empty));
                    index++;
                }

                ReadOnlySpan<byte> link = sector.AsSpan(EntryTableOffset + EntrySize, EntrySize);
                if (link[4] == 0)
                {
                    return;
                }

                ulong next = extendedStart + BinaryPrimitives.ReadUInt32LittleEndian(link.Slice(8));
                if (next >= extendedEnd)
                {
                    throw new StorageFormatException($"EBR at block {ebr}: next EBR at block {next} is outside the extended partition ending at {extendedEnd - 1}");
                }

                ebr = next;
            }
        }
    }
}
