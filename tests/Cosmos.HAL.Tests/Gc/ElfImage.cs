using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Cosmos.HAL.Tests.Gc;

/// <summary>One ELF64 section: where it is loaded and where its bytes are in the file.</summary>
internal sealed record ElfSection(string Name, uint Type, ulong Address, ulong FileOffset, ulong Size)
{
    public const uint NoBits = 8;

    public bool Contains(ulong address, ulong length) =>
        Address != 0 && Type != NoBits && address >= Address && address + length <= Address + Size;
}

/// <summary>
/// Just enough of an ELF64 little-endian reader for kernel.elf: the section headers (ELF
/// specification, "Sections") and the bytes at a virtual address.
/// </summary>
internal sealed class ElfImage
{
    private readonly byte[] _file;

    private ElfImage(byte[] file, IReadOnlyList<ElfSection> sections)
    {
        _file = file;
        Sections = sections;
    }

    public IReadOnlyList<ElfSection> Sections { get; }

    public static ElfImage Load(string path)
    {
        byte[] file = System.IO.File.ReadAllBytes(path);
        if (file.Length < 64 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file");
        }

        if (file[4] != 2 || file[5] != 1)
        {
            throw new InvalidDataException($"{path} is not ELF64 little-endian (class {file[4]}, data {file[5]})");
        }

        ulong sectionTable = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28));
        ushort entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3A));
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3C));
        ushort namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3E));
        var raw = new (uint Name, uint Type, ulong Address, ulong Offset, ulong Size)[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> header = file.AsSpan((int)sectionTable + (i * entrySize), entrySize);
            raw[i] = (BinaryPrimitives.ReadUInt32LittleEndian(header),
                BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[0x10..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]));
        }

        ulong names = raw[namesIndex].Offset;
        var sections = new List<ElfSection>(count);
        foreach (var (name, type, address, offset, size) in raw)
        {
            int start = (int)(names + name);
            int end = Array.IndexOf(file, (byte)0, start);
            sections.Add(new ElfSection(Encoding.ASCII.GetString(file, start, end - start), type, address, offset, size));
        }

        return new ElfImage(file, sections);
    }

    public ElfSection Section(string name) =>
        Sections.FirstOrDefaultByName(name) ?? throw new InvalidDataException($"kernel.elf has no {name} section");

    public ElfSection SectionAt(ulong address, ulong length = 1)
    {
        foreach (ElfSection section in Sections)
        {
            if (section.Contains(address, length))
            {
                return section;
            }
        }

        throw new InvalidDataException($"no loaded section holds 0x{address:x} (+{length})");
    }

    /// <summary>The file bytes from <paramref name="address"/> to the end of its section.</summary>
    public ReadOnlySpan<byte> BytesToSectionEnd(ulong address)
    {
        ElfSection section = SectionAt(address);
        return _file.AsSpan((int)(section.FileOffset + (address - section.Address)), (int)(section.Address + section.Size - address));
    }

    /// <summary>The file offset of <paramref name="address"/>: for pinning the blob and decoding in place.</summary>
    public int FileOffsetOf(ulong address)
    {
        ElfSection section = SectionAt(address);
        return (int)(section.FileOffset + (address - section.Address));
    }

    public byte[] File => _file;

    /// <summary>The value of the symbol named <paramref name="name"/> in .symtab (ELF specification, "Symbol Table"), or null.</summary>
    public ulong? FindSymbol(string name)
    {
        ElfSection symbols = Section(".symtab");
        ElfSection names = Section(".strtab");
        byte[] wanted = Encoding.ASCII.GetBytes(name);
        for (ulong entry = symbols.FileOffset; entry + 24 <= symbols.FileOffset + symbols.Size; entry += 24)
        {
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan((int)entry));
            ReadOnlySpan<byte> candidate = _file.AsSpan((int)(names.FileOffset + nameOffset));
            if (candidate.StartsWith(wanted) && candidate.Length > wanted.Length && candidate[wanted.Length] == 0)
            {
                return BinaryPrimitives.ReadUInt64LittleEndian(_file.AsSpan((int)entry + 8));
            }
        }

        return null;
    }

    public byte U8(ulong address) => BytesToSectionEnd(address)[0];

    public int I32(ulong address) => BinaryPrimitives.ReadInt32LittleEndian(BytesToSectionEnd(address));

    public uint U32(ulong address) => BinaryPrimitives.ReadUInt32LittleEndian(BytesToSectionEnd(address));
}

internal static class ElfSectionListExtensions
{
    public static ElfSection? FirstOrDefaultByName(this IReadOnlyList<ElfSection> sections, string name)
    {
        foreach (ElfSection section in sections)
        {
            if (section.Name == name)
            {
                return section;
            }
        }

        return null;
    }
}
