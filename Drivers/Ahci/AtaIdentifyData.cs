using System;
using System.Buffers.Binary;
using System.Text;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>The parts of IDENTIFY DEVICE data (ACS-3 §7.12.7, 256 words) this driver uses.</summary>
    internal sealed class AtaIdentifyData
    {
        private AtaIdentifyData(string model, string serial, ulong sectorCount, int sectorSize, bool supportsLba48)
        {
            Model = model;
            Serial = serial;
            SectorCount = sectorCount;
            SectorSize = sectorSize;
            SupportsLba48 = supportsLba48;
        }

        /// <summary>Words 27–46, trimmed.</summary>
        public string Model { get; }

        /// <summary>Words 10–19, trimmed.</summary>
        public string Serial { get; }

        /// <summary>User-addressable logical sectors: words 100–103 with 48-bit addressing, else words 60–61.</summary>
        public ulong SectorCount { get; }

        /// <summary>Logical sector size in bytes (words 106, 117–118), 512 unless the device says otherwise.</summary>
        public int SectorSize { get; }

        /// <summary>Word 83 bit 10: the 48-bit address feature set.</summary>
        public bool SupportsLba48 { get; }

        /// <summary>Parses <paramref name="data"/> (512 bytes); null with <paramref name="problem"/> when the data cannot describe a usable disk.</summary>
        public static AtaIdentifyData? Parse(ReadOnlySpan<byte> data, out string? problem)
        {
            if (data.Length < 512)
            {
                problem = $"IDENTIFY data is {data.Length} bytes, expected 512";
                return null;
            }

            bool lba48 = (Word(data, 83) & (1 << 10)) != 0 && (Word(data, 83) & 0xC000) == 0x4000;
            ulong sectors = lba48
                ? Word(data, 100) | ((ulong)Word(data, 101) << 16) | ((ulong)Word(data, 102) << 32) | ((ulong)Word(data, 103) << 48)
                : Word(data, 60) | ((ulong)Word(data, 61) << 16);

            int sectorSize = 512;
            ushort word106 = Word(data, 106);
            // Word 106 is valid when bit 14 is set and bit 15 clear; bit 12 says words 117–118 hold the size in words.
            if ((word106 & 0xC000) == 0x4000 && (word106 & (1 << 12)) != 0)
            {
                uint words = Word(data, 117) | ((uint)Word(data, 118) << 16);
                if (words < 256 || words > 32768 || (words & (words - 1)) != 0)
                {
                    problem = $"IDENTIFY reports a logical sector of {words} words";
                    return null;
                }

                sectorSize = (int)(words * 2);
            }

            if (sectors == 0)
            {
                problem = "IDENTIFY reports 0 sectors";
                return null;
            }

            if (!lba48 && sectors > 0x0FFF_FFFF)
            {
                problem = $"IDENTIFY reports {sectors} LBA28 sectors (more than 28 bits)";
                return null;
            }

            problem = null;
            return new AtaIdentifyData(AtaString(data, 27, 20), AtaString(data, 10, 10), sectors, sectorSize, lba48);
        }

        private static ushort Word(ReadOnlySpan<byte> data, int index) => BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(index * 2, 2));

        // ATA strings hold two characters per word, the first in the high byte.
        private static string AtaString(ReadOnlySpan<byte> data, int firstWord, int words)
        {
            var builder = new StringBuilder(words * 2);
            for (int i = 0; i < words; i++)
            {
                int at = (firstWord + i) * 2;
                foreach (byte b in new[] { data[at + 1], data[at] })
                {
                    builder.Append(b is >= 0x20 and < 0x7F ? (char)b : ' ');
                }
            }

            return builder.ToString().Trim();
        }
    }
}
