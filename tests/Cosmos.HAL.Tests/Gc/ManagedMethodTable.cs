using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Cosmos.HAL.Tests.Gc;

/// <summary>One FDE's code range and the LSDA it points at.</summary>
internal sealed record CodeRange(ulong Start, ulong End, ulong Lsda, byte LsdaFlags);

/// <summary>A method ILC compiled: its main body's start, its main LSDA, the GCInfo after it, and every FDE (main body, funclets).</summary>
internal sealed record ManagedMethod(ulong Start, ulong MainLsda, ulong GcInfo, IReadOnlyList<CodeRange> Ranges)
{
    /// <summary>Bytes from the method's start to the end of its last funclet: what GCInfo calls the code length.</summary>
    public ulong Extent => Ranges.Max(r => r.End) - Start;

    public bool HasFunclets => Ranges.Any(r => (r.LsdaFlags & 3) != 0);
}

/// <summary>
/// Every managed method of a kernel image, found the way the kernel finds them: the binary-search
/// table of .eh_frame_hdr (LSB 5.0 §10.6.2) gives each FDE, the FDE's augmentation data its LSDA,
/// and ILC's LSDA (docs/runtime-contract.md §2.2) the main body and the GCInfo.
/// </summary>
internal static class ManagedMethodTable
{
    private const byte UbfKindMask = 0x03, UbfHasEhInfo = 0x04, UbfHasAssociatedData = 0x10;

    public static IReadOnlyList<ManagedMethod> Read(ElfImage image)
    {
        ElfSection header = image.Section(".eh_frame_hdr");
        ulong h = header.Address;
        if (image.U8(h) != 1 || image.U8(h + 2) != 0x03 || image.U8(h + 3) != 0x3B)
        {
            throw new InvalidDataException($".eh_frame_hdr: version {image.U8(h)}, count encoding 0x{image.U8(h + 2):x2}, table encoding 0x{image.U8(h + 3):x2}; expected 1, udata4, datarel|sdata4");
        }

        uint count = image.U32(h + 8);
        var byMethod = new Dictionary<(ulong Start, ulong MainLsda), List<CodeRange>>();
        for (uint i = 0; i < count; i++)
        {
            ulong entry = h + 12 + (i * 8);
            ulong fde = (ulong)((long)h + image.I32(entry + 4));
            CodeRange? range = ReadFde(image, fde);
            if (range == null)
            {
                continue;
            }

            ulong start = range.Start, mainLsda = range.Lsda;
            if ((range.LsdaFlags & UbfKindMask) != 0)
            {
                mainLsda = (ulong)((long)range.Lsda + 1 + image.I32(range.Lsda + 1));
                start = range.Start - image.U32(range.Lsda + 5);
            }

            if (!byMethod.TryGetValue((start, mainLsda), out List<CodeRange>? ranges))
            {
                byMethod[(start, mainLsda)] = ranges = new List<CodeRange>();
            }

            ranges.Add(range);
        }

        return byMethod.Select(m => new ManagedMethod(m.Key.Start, m.Key.MainLsda, GcInfoAddress(image, m.Key.MainLsda), m.Value))
            .OrderBy(m => m.Start).ToList();
    }

    // The main LSDA: flags byte, [associated data relptr], [EH info relptr], then the GCInfo.
    private static ulong GcInfoAddress(ElfImage image, ulong mainLsda)
    {
        byte flags = image.U8(mainLsda);
        ulong p = mainLsda + 1;
        if ((flags & UbfHasAssociatedData) != 0)
        {
            p += 4;
        }

        if ((flags & UbfHasEhInfo) != 0)
        {
            p += 4;
        }

        return p;
    }

    // ILC's FDEs: pcrel sdata4 begin, sdata4 range, augmentation data holding a pcrel sdata4 LSDA
    // pointer (CIE augmentation "zLR", encodings 0x1b). FDEs without an LSDA are not ILC's.
    private static CodeRange? ReadFde(ElfImage image, ulong fde)
    {
        ulong cie = (ulong)((long)fde + 4 - image.I32(fde + 4));
        string augmentation = ReadCString(image, cie + 9);
        if (augmentation != "zLR" && augmentation != "zRL")
        {
            return null;
        }

        ulong pcBegin = (ulong)((long)fde + 8 + image.I32(fde + 8));
        ulong pcRange = image.U32(fde + 12);
        ulong p = fde + 16;
        ulong augmentationLength = ReadUleb(image, ref p);
        if (augmentationLength < 4)
        {
            return null;
        }

        ulong lsda = (ulong)((long)p + image.I32(p));
        return new CodeRange(pcBegin, pcBegin + pcRange, lsda, image.U8(lsda));
    }

    private static string ReadCString(ElfImage image, ulong address)
    {
        ReadOnlySpan<byte> bytes = image.BytesToSectionEnd(address);
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(bytes[..end]);
    }

    private static ulong ReadUleb(ElfImage image, ref ulong p)
    {
        ulong result = 0;
        int shift = 0;
        byte b;
        do
        {
            b = image.U8(p++);
            result |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return result;
    }
}
