using System;
using System.IO;
using System.Text;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>A binary PPM (P6, maxval 255) as QEMU's <c>screendump</c> writes it; pixels as 0xRRGGBB.</summary>
internal sealed class PpmImage
{
    private PpmImage(int width, int height, uint[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public uint[] Pixels { get; }

    public uint this[int x, int y] => Pixels[(y * Width) + x];

    public static PpmImage Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[at]))
            {
                at++;
            }

            int start = at;
            while (!char.IsWhiteSpace((char)data[at]))
            {
                at++;
            }

            return Encoding.ASCII.GetString(data, start, at - start);
        }

        if (Token() != "P6")
        {
            throw new InvalidDataException($"{path} is not a binary PPM");
        }

        int width = int.Parse(Token()), height = int.Parse(Token()), max = int.Parse(Token());
        at++;
        if (max != 255 || data.Length - at < width * height * 3)
        {
            throw new InvalidDataException($"{path}: maxval {max}, {data.Length - at} bytes for {width}x{height}");
        }

        var pixels = new uint[width * height];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (uint)((data[at + (3 * i)] << 16) | (data[at + (3 * i) + 1] << 8) | data[at + (3 * i) + 2]);
        }

        return new PpmImage(width, height, pixels);
    }
}
