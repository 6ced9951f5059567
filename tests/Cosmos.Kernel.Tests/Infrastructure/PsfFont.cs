using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// A PSF1 console font with its Unicode table, read independently of the kernel's generated copy, so the
/// screen tests render expected glyphs from the same Debian font file the build used.
/// </summary>
internal sealed class PsfFont
{
    public const string DefaultPath = "/usr/share/consolefonts/Lat15-Terminus16.psf.gz";

    private readonly byte[] _glyphs;
    private readonly Dictionary<char, int> _map = new();

    private PsfFont(byte[] glyphs, int height)
    {
        _glyphs = glyphs;
        Height = height;
    }

    public int Height { get; }

    public static PsfFont Read(string path = DefaultPath)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        input.CopyTo(memory);
        byte[] data = memory.ToArray();
        if (data[0] != 0x36 || data[1] != 0x04)
        {
            throw new InvalidDataException($"{path} is not a PSF1 font");
        }

        int mode = data[2], height = data[3], count = (mode & 1) != 0 ? 512 : 256;
        var font = new PsfFont(data.AsSpan(4, count * height).ToArray(), height);
        int at = 4 + (count * height), glyph = 0;
        bool sequence = false;
        while ((mode & 2) != 0 && glyph < count && at + 1 < data.Length)
        {
            int codePoint = data[at] | (data[at + 1] << 8);
            at += 2;
            if (codePoint == 0xFFFF)
            {
                glyph++;
                sequence = false;
            }
            else if (codePoint == 0xFFFE)
            {
                sequence = true;
            }
            else if (!sequence)
            {
                font._map.TryAdd((char)codePoint, glyph);
            }
        }

        return font;
    }

    /// <summary>Row <paramref name="row"/> of <paramref name="c"/>'s glyph, the leftmost pixel in the top bit.</summary>
    public byte Row(char c, int row) => _glyphs[(_map.TryGetValue(c, out int glyph) ? glyph : _map['?']) * Height + row];
}
