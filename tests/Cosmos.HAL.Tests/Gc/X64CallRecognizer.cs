using System;

namespace Cosmos.HAL.Tests.Gc;

/// <summary>Recognises the x86-64 call instructions RyuJIT emits (Intel SDM vol. 2A, CALL): E8 rel32 and FF /2 with any ModRM form.</summary>
internal static class X64CallRecognizer
{
    /// <summary>True when some call instruction ends exactly at <paramref name="end"/> in <paramref name="code"/>.</summary>
    public static bool CallEndsAt(ReadOnlySpan<byte> code, int end)
    {
        if (end >= 5 && code[end - 5] == 0xE8)
        {
            return true;
        }

        for (int start = Math.Max(0, end - 9); start <= end - 2; start++)
        {
            if (IndirectCallLength(code[start..]) == end - start)
            {
                return true;
            }
        }

        return false;
    }

    // [REX] FF /2: the length, or 0 when the bytes are not such a call.
    private static int IndirectCallLength(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        if (bytes.Length > 0 && (bytes[0] & 0xF0) == 0x40)
        {
            i++;
        }

        if (bytes.Length < i + 2 || bytes[i] != 0xFF || ((bytes[i + 1] >> 3) & 7) != 2)
        {
            return 0;
        }

        byte modrm = bytes[i + 1];
        int mod = modrm >> 6, rm = modrm & 7;
        int length = i + 2;
        if (mod == 3)
        {
            return length;
        }

        if (rm == 4)
        {
            if (bytes.Length < length + 1)
            {
                return 0;
            }

            bool noBase = mod == 0 && (bytes[length] & 7) == 5;
            length++;
            if (noBase)
            {
                return length + 4;
            }
        }
        else if (mod == 0 && rm == 5)
        {
            return length + 4;      // RIP-relative
        }

        return length + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
    }
}
