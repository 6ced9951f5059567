using System;
using System.Buffers.Binary;

namespace Cosmos.System.Graphics
{
    /// <summary>An image in memory: 0xAARRGGBB pixels row by row, top row first. Reads uncompressed BMP files.</summary>
    public sealed class Bitmap
    {
        /// <summary>A <paramref name="width"/>×<paramref name="height"/> image of <paramref name="pixels"/>.</summary>
        /// <exception cref="ArgumentException">The pixel count is not width × height.</exception>
        public Bitmap(int width, int height, uint[] pixels)
        {
            ArgumentNullException.ThrowIfNull(pixels);
            if (width <= 0 || height <= 0 || pixels.Length != width * height)
            {
                throw new ArgumentException($"a {width}x{height} bitmap has {width * height} pixels, not {pixels.Length}", nameof(pixels));
            }

            Width = width;
            Height = height;
            Pixels = pixels;
        }

        /// <summary>Width in pixels.</summary>
        public int Width { get; }

        /// <summary>Height in pixels.</summary>
        public int Height { get; }

        /// <summary>The pixels, row by row from the top.</summary>
        public uint[] Pixels { get; }

        /// <summary>
        /// Reads a Windows BMP (BITMAPINFOHEADER or later): uncompressed 24 or 32 bits per pixel (BI_RGB or
        /// BI_BITFIELDS with the usual masks), bottom-up or top-down.
        /// </summary>
        /// <exception cref="FormatException">Not such a file, or its sizes do not fit its length.</exception>
        public static Bitmap FromBmp(ReadOnlySpan<byte> file)
        {
            if (file.Length < 54 || file[0] != (byte)'B' || file[1] != (byte)'M')
            {
                throw new FormatException("not a BMP file (no 'BM' signature or shorter than 54 bytes)");
            }

            uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]);
            uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(file[14..]);
            int width = BinaryPrimitives.ReadInt32LittleEndian(file[18..]);
            int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(file[22..]);
            int bits = BinaryPrimitives.ReadUInt16LittleEndian(file[28..]);
            uint compression = BinaryPrimitives.ReadUInt32LittleEndian(file[30..]);
            if (headerSize < 40 || width <= 0 || rawHeight == 0 || rawHeight == int.MinValue || width > 16384 || Math.Abs(rawHeight) > 16384)
            {
                throw new FormatException($"BMP header size {headerSize}, {width}x{rawHeight} is not supported");
            }

            if ((bits != 24 && bits != 32) || (compression != 0 && !(compression == 3 && bits == 32)))
            {
                throw new FormatException($"BMP with {bits} bits per pixel and compression {compression} is not supported (24/32-bit uncompressed only)");
            }

            int height = Math.Abs(rawHeight);
            int rowBytes = ((width * bits) + 31) / 32 * 4;
            if (dataOffset > (uint)file.Length || (long)rowBytes * height > file.Length - dataOffset)
            {
                throw new FormatException($"BMP pixel data ({rowBytes} x {height} bytes at {dataOffset}) runs past the file's {file.Length} bytes");
            }

            var pixels = new uint[width * height];
            int bytesPerPixel = bits / 8;
            for (int row = 0; row < height; row++)
            {
                ReadOnlySpan<byte> source = file.Slice((int)dataOffset + (row * rowBytes), rowBytes);
                int y = rawHeight > 0 ? height - 1 - row : row;
                for (int x = 0; x < width; x++)
                {
                    ReadOnlySpan<byte> p = source.Slice(x * bytesPerPixel, bytesPerPixel);
                    uint alpha = bits == 32 && compression == 3 ? p[3] : 0xFFu;
                    pixels[(y * width) + x] = (alpha << 24) | ((uint)p[2] << 16) | ((uint)p[1] << 8) | p[0];
                }
            }

            return new Bitmap(width, height, pixels);
        }
    }
}
