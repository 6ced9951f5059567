using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Fuzz
{
    /// <summary>
    /// The fat-volume harness's input format from a real image: each run of non-zero sectors becomes a chunk of a
    /// 4-byte little-endian sector number and the sectors (at most 64 a chunk), so a 64 MiB FAT32 image whose FAT
    /// is mostly zeros is a seed of a few KiB.
    /// </summary>
    internal static class FatChunks
    {
        private const int Sector = 512;
        private const int MaxSectorsPerChunk = 64;

        public static byte[] FromImage(byte[] image)
        {
            var chunks = new List<byte[]>();
            int sectors = image.Length / Sector;
            for (int first = 0; first < sectors;)
            {
                if (IsZero(image, first))
                {
                    first++;
                    continue;
                }

                int count = 1;
                while (first + count < sectors && count < MaxSectorsPerChunk && !IsZero(image, first + count))
                {
                    count++;
                }

                byte[] chunk = new byte[4 + (count * Sector)];
                BinaryPrimitives.WriteUInt32LittleEndian(chunk, (uint)first);
                image.AsSpan(first * Sector, count * Sector).CopyTo(chunk.AsSpan(4));
                chunks.Add(chunk);
                first += count;
            }

            return InputReader.JoinLengthPrefixed(chunks);
        }

        private static bool IsZero(byte[] image, int sector) => image.AsSpan(sector * Sector, Sector).IndexOfAnyExcept((byte)0) < 0;
    }
}
