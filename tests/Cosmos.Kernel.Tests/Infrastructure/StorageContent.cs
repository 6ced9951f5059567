using System;
using System.Text;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// The host's half of the StorageTests content rules (tests/Kernels/StorageTests/Content.cs), so that
/// the kernel can check files without being told what they hold: a text file holds its own path on
/// the volume and a newline, in UTF-8; a pattern file of seed s holds, at byte k, byte k%8
/// (little-endian) of SplitMix64(s·2³² + k/8).
/// </summary>
internal static class StorageContent
{
    public static byte[] TextOf(string volumePath) => Encoding.UTF8.GetBytes(volumePath + "\n");

    public static byte[] Pattern(uint seed, int length)
    {
        byte[] bytes = new byte[length];
        for (int k = 0; k < length; k += 8)
        {
            ulong word = SplitMix64(((ulong)seed << 32) + (ulong)(k / 8));
            for (int i = 0; i < 8 && k + i < length; i++)
            {
                bytes[k + i] = (byte)(word >> (i * 8));
            }
        }

        return bytes;
    }

    private static ulong SplitMix64(ulong x)
    {
        ulong z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
