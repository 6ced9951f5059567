using System;

namespace Cosmos.System.Graphics
{
    /// <summary>
    /// The 8×16 bitmap font the screen console and <see cref="Canvas"/> draw text with, generated at build time
    /// from a Debian console font (<see cref="Source"/>). Characters the font lacks draw as '?'.
    /// </summary>
    public static class ConsoleFont
    {
        /// <summary>Glyph width in pixels.</summary>
        public const int Width = ConsoleFontData.Width;

        /// <summary>Glyph height in pixels.</summary>
        public const int Height = ConsoleFontData.Height;

        /// <summary>The font file the glyphs came from.</summary>
        public static string Source => ConsoleFontData.Source;

        /// <summary>True when the font has a glyph of its own for <paramref name="c"/>.</summary>
        public static bool Has(char c) => GlyphIndex(c) >= 0;

        /// <summary>
        /// The glyph of <paramref name="c"/>: <see cref="Height"/> bytes, one per row, the leftmost pixel in the
        /// top bit.
        /// </summary>
        public static ReadOnlySpan<byte> Glyph(char c)
        {
            int index = GlyphIndex(c);
            if (index < 0)
            {
                index = GlyphIndex('?');
            }

            return ConsoleFontData.Glyphs.Slice(index * Height, Height);
        }

        // Binary search of the sorted 3-byte entries (code point le16, glyph).
        private static int GlyphIndex(char c)
        {
            ReadOnlySpan<byte> table = ConsoleFontData.CodePoints;
            int low = 0, high = (table.Length / 3) - 1;
            while (low <= high)
            {
                int middle = (low + high) >> 1;
                int codePoint = table[middle * 3] | (table[(middle * 3) + 1] << 8);
                if (codePoint == c)
                {
                    return table[(middle * 3) + 2];
                }

                if (codePoint < c)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return -1;
        }
    }
}
