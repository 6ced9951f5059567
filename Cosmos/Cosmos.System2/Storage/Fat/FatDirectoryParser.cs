using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>
    /// Turns the raw 32-byte entries of a directory into <see cref="FatDirectoryEntry"/> values, joining
    /// long-name entries (fatgen103 "FAT Long Directory Entries") when their order and checksum hold.
    /// </summary>
    public static class FatDirectoryParser
    {
        /// <summary>Bytes in one directory entry.</summary>
        public const int EntrySize = 32;

        private const int CharsPerLongEntry = 13;
        private const int MaxLongEntries = 20;

        /// <summary>Parses <paramref name="directory"/> up to its end marker; "." and ".." and the volume label are left out.</summary>
        public static List<FatDirectoryEntry> Parse(ReadOnlySpan<byte> directory, string directoryPath)
        {
            var entries = new List<FatDirectoryEntry>();
            char[]? longName = null;
            int expectedOrdinal = 0;
            byte longChecksum = 0;
            int longStartSlot = 0;
            for (int offset = 0; offset + EntrySize <= directory.Length; offset += EntrySize)
            {
                ReadOnlySpan<byte> raw = directory.Slice(offset, EntrySize);
                if (raw[0] == 0x00)
                {
                    break;
                }

                var attributes = (FatAttributes)raw[11];
                if (raw[0] == 0xE5)
                {
                    longName = null;
                    continue;
                }

                if ((raw[11] & 0x3F) == (byte)FatAttributes.LongName)
                {
                    int ordinal = raw[0];
                    if ((ordinal & 0x40) != 0)
                    {
                        int count = ordinal & 0x1F;
                        if (count == 0 || count > MaxLongEntries)
                        {
                            longName = null;
                            continue;
                        }

                        longName = new char[count * CharsPerLongEntry];
                        longStartSlot = offset / EntrySize;
                        longChecksum = raw[13];
                        expectedOrdinal = count;
                        ordinal = count;
                    }
                    else if (longName == null || ordinal != expectedOrdinal || raw[13] != longChecksum)
                    {
                        longName = null;
                        continue;
                    }

                    CopyLongNameChars(raw, longName, (ordinal - 1) * CharsPerLongEntry);
                    expectedOrdinal = ordinal - 1;
                    continue;
                }

                char[]? pendingLongName = longName;
                longName = null;
                if ((attributes & FatAttributes.VolumeId) != 0)
                {
                    continue;
                }

                string shortName = DecodeShortName(raw);
                if (shortName == "." || shortName == "..")
                {
                    continue;
                }

                string name = shortName;
                int firstSlot = offset / EntrySize;
                if (pendingLongName != null && expectedOrdinal == 0 && ShortNameChecksum(raw.Slice(0, 11)) == longChecksum)
                {
                    name = TerminatedString(pendingLongName);
                    firstSlot = longStartSlot;
                }

                uint firstCluster = (uint)BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(20)) << 16
                    | BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(26));
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(28));
                DateTime created = DecodeTimestamp(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(16)),
                    BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(14)), raw[13]);
                DateTime modified = DecodeTimestamp(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(24)),
                    BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(22)), 0);
                DateTime accessed = DecodeTimestamp(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(18)), 0, 0);
                string path = directoryPath == "/" ? "/" + name : directoryPath + "/" + name;
                entries.Add(new FatDirectoryEntry(name, shortName, attributes, firstCluster, size, created, modified, accessed, path)
                {
                    SlotIndex = offset / EntrySize,
                    FirstSlotIndex = firstSlot,
                    RawShortName = raw.Slice(0, 11).ToArray(),
                });
            }

            return entries;
        }

        /// <summary>The long-name checksum of an 11-byte short name (fatgen103 "ChkSum").</summary>
        public static byte ShortNameChecksum(ReadOnlySpan<byte> shortName11)
        {
            byte sum = 0;
            for (int i = 0; i < 11; i++)
            {
                sum = (byte)((((sum & 1) != 0) ? 0x80 : 0) + (sum >> 1) + shortName11[i]);
            }

            return sum;
        }

        /// <summary>
        /// The displayed 8.3 name. Bytes above 0x7F are shown as Latin-1: the OEM code page is not known
        /// here, and long names (UTF-16) carry anything that is not ASCII.
        /// </summary>
        public static string DecodeShortName(ReadOnlySpan<byte> raw)
        {
            bool lowerBase = (raw[12] & 0x08) != 0;
            bool lowerExtension = (raw[12] & 0x10) != 0;
            var builder = new StringBuilder(12);
            for (int i = 0; i < 8; i++)
            {
                byte b = i == 0 && raw[0] == 0x05 ? (byte)0xE5 : raw[i];
                builder.Append(lowerBase ? char.ToLowerInvariant((char)b) : (char)b);
            }

            string name = builder.ToString().TrimEnd(' ');
            builder.Clear();
            for (int i = 8; i < 11; i++)
            {
                builder.Append(lowerExtension ? char.ToLowerInvariant((char)raw[i]) : (char)raw[i]);
            }

            string extension = builder.ToString().TrimEnd(' ');
            return extension.Length == 0 ? name : name + "." + extension;
        }

        private static void CopyLongNameChars(ReadOnlySpan<byte> raw, char[] destination, int start)
        {
            // Name1 (5 chars at 1), Name2 (6 chars at 14), Name3 (2 chars at 28), UTF-16LE.
            int index = start;
            for (int i = 0; i < 5; i++)
            {
                destination[index++] = (char)BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(1 + i * 2));
            }

            for (int i = 0; i < 6; i++)
            {
                destination[index++] = (char)BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(14 + i * 2));
            }

            for (int i = 0; i < 2; i++)
            {
                destination[index++] = (char)BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(28 + i * 2));
            }
        }

        private static string TerminatedString(char[] chars)
        {
            int length = Array.IndexOf(chars, '\0');
            return new string(chars, 0, length < 0 ? chars.Length : length);
        }

        private static DateTime DecodeTimestamp(ushort date, ushort time, byte tenths)
        {
            int day = date & 0x1F;
            int month = (date >> 5) & 0x0F;
            int year = 1980 + (date >> 9);
            int seconds = (time & 0x1F) * 2 + tenths / 100;
            int minutes = (time >> 5) & 0x3F;
            int hours = time >> 11;
            if (day < 1 || month < 1 || month > 12 || day > DateTime.DaysInMonth(year, month) || hours > 23 || minutes > 59 || seconds > 59)
            {
                return DateTime.MinValue;
            }

            return new DateTime(year, month, day, hours, minutes, seconds).AddMilliseconds(tenths % 100 * 10);
        }
    }
}
