using System;
using System.Text;

namespace StorageTests
{
    /// <summary>
    /// What the files the host and the kernel make contain, so that each side can check the other
    /// without being told (StorageImageTests' StorageContent computes the same):
    /// a text file holds its own path on the volume and a newline, in UTF-8 ("/case/Mixed/ReadMe.txt\n");
    /// a pattern file of seed s holds, at byte k, byte k%8 (little-endian) of SplitMix64(s·2³² + k/8).
    /// </summary>
    public static class Content
    {
        /// <summary>The text a text file at <paramref name="volumePath"/> holds.</summary>
        public static string TextOf(string volumePath) => volumePath + "\n";

        /// <summary>The bytes of <see cref="TextOf"/>.</summary>
        public static byte[] TextBytesOf(string volumePath) => Encoding.UTF8.GetBytes(TextOf(volumePath));

        /// <summary>A whole pattern file.</summary>
        public static byte[] Pattern(uint seed, int length)
        {
            byte[] bytes = new byte[length];
            FillPattern(seed, 0, bytes);
            return bytes;
        }

        /// <summary>Fills <paramref name="destination"/> with the pattern of <paramref name="seed"/> from <paramref name="offset"/>.</summary>
        public static void FillPattern(uint seed, long offset, Span<byte> destination)
        {
            int i = 0;
            while (i < destination.Length)
            {
                long position = offset + i;
                ulong word = SplitMix64(((ulong)seed << 32) + (ulong)(position / 8));
                for (int shift = (int)(position % 8); shift < 8 && i < destination.Length; shift++)
                {
                    destination[i++] = (byte)(word >> (shift * 8));
                }
            }
        }

        /// <summary>The offset of the first byte of <paramref name="actual"/> that differs from the pattern, or -1.</summary>
        public static long FirstPatternMismatch(uint seed, long offset, ReadOnlySpan<byte> actual)
        {
            byte[] expected = new byte[actual.Length];
            FillPattern(seed, offset, expected);
            for (int i = 0; i < actual.Length; i++)
            {
                if (actual[i] != expected[i])
                {
                    return offset + i;
                }
            }

            return -1;
        }

        // Steele, Lea and Flood, "Fast splittable pseudorandom number generators" (2014): the finaliser.
        private static ulong SplitMix64(ulong x)
        {
            ulong z = x + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
