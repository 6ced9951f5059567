using System;
using System.Collections.Generic;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Console;
using Cosmos.System.Graphics;
using Xunit;

namespace Cosmos.System.Tests.Console
{
    /// <summary>The screen console on a fake display: glyphs, colours, escape sequences, scrolling, damage-only flushes; BMP reading.</summary>
    public class ScreenTerminalPortTests
    {
        private static (MemoryDisplay Display, ScreenTerminalPort Port) Make(int columns = 10, int rows = 4)
        {
            var display = new MemoryDisplay(columns * 8, rows * 16);
            return (display, new ScreenTerminalPort(display, new InputHub()));
        }

        // True when cell (column, row) shows c in fg on bg (the cursor's two bottom rows excluded).
        private static void AssertCell(MemoryDisplay display, int column, int row, char c, uint fg, uint bg)
        {
            ReadOnlySpan<byte> glyph = ConsoleFont.Glyph(c);
            for (int y = 0; y < 14; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    uint expected = (glyph[y] & (0x80 >> x)) != 0 ? fg : bg;
                    Assert.True(expected == display.At((column * 8) + x, (row * 16) + y), $"cell {column},{row} '{c}' pixel {x},{y}");
                }
            }
        }

        private static void Write(ScreenTerminalPort port, string text) => port.Write(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void TextIsDrawnInTheFontAndOnlyTheChangedCellsAreFlushed()
        {
            (MemoryDisplay display, ScreenTerminalPort port) = Make();
            display.Flushes.Clear();
            Write(port, "Hi");
            AssertCell(display, 0, 0, 'H', 0xAAAAAA, 0);
            AssertCell(display, 1, 0, 'i', 0xAAAAAA, 0);
            (int x, int y, int w, int h) = Assert.Single(display.Flushes);
            Assert.Equal((0, 0), (x, y));
            Assert.True(w <= 24 && h <= 16, $"flushed {w}x{h} for two characters");
            Assert.Equal((2, 0), port.Cursor);
            Assert.True(ConsoleFont.Has('A') && ConsoleFont.Has('é'));
        }

        [Fact]
        public void ColoursReverseAndResetFollowSgr()
        {
            (MemoryDisplay display, ScreenTerminalPort port) = Make();
            Write(port, "\u001b[31mR\u001b[1;44mB\u001b[7mV\u001b[0mN\u001b[92mG");
            AssertCell(display, 0, 0, 'R', 0xAA0000, 0);
            AssertCell(display, 1, 0, 'B', 0xFF5555, 0x0000AA);
            AssertCell(display, 2, 0, 'V', 0x0000AA, 0xFF5555);
            AssertCell(display, 3, 0, 'N', 0xAAAAAA, 0);
            AssertCell(display, 4, 0, 'G', 0x55FF55, 0);
        }

        [Fact]
        public void CursorMovementAndErasingWork()
        {
            (MemoryDisplay display, ScreenTerminalPort port) = Make();
            Write(port, "abcdef\u001b[2;3HX\u001b[1;1H\u001b[CY");
            AssertCell(display, 2, 1, 'X', 0xAAAAAA, 0);
            AssertCell(display, 1, 0, 'Y', 0xAAAAAA, 0);
            Write(port, "\u001b[K");
            AssertCell(display, 2, 0, ' ', 0, 0);
            AssertCell(display, 0, 0, 'a', 0xAAAAAA, 0);
            Write(port, "\b\bq\u001b[2J");
            Assert.Equal((0, 0), port.Cursor);
            AssertCell(display, 2, 1, ' ', 0, 0);
            AssertCell(display, 0, 0, ' ', 0, 0);
        }

        [Fact]
        public void EraseInDisplayBeyondThreeClearsEverythingAsTheTextModeConsoleDoes()
        {
            (MemoryDisplay display, ScreenTerminalPort port) = Make();
            Write(port, "abc\ndef\u001b[44m\u001b[4J");
            Assert.Equal((0, 0), port.Cursor);
            AssertCell(display, 0, 0, ' ', 0x0000AA, 0x0000AA);
            AssertCell(display, 2, 1, ' ', 0x0000AA, 0x0000AA);
            AssertCell(display, 5, 3, ' ', 0x0000AA, 0x0000AA);
        }

        [Fact]
        public void TheLastLineFeedScrollsAndLongLinesWrap()
        {
            (MemoryDisplay display, ScreenTerminalPort port) = Make(columns: 4, rows: 3);
            Write(port, "1\n2\n3\n4");
            Assert.Equal(1, port.ScrolledLines);
            AssertCell(display, 0, 0, '2', 0xAAAAAA, 0);
            AssertCell(display, 0, 1, '3', 0xAAAAAA, 0);
            AssertCell(display, 0, 2, '4', 0xAAAAAA, 0);
            Write(port, "abcdef");
            Assert.Equal(2, port.ScrolledLines);
            AssertCell(display, 3, 1, 'c', 0xAAAAAA, 0);
            AssertCell(display, 0, 2, 'd', 0xAAAAAA, 0);
        }

        [Fact]
        public void MultiByteUtf8SplitAcrossWritesDrawsOneCharacter()
        {
            (MemoryDisplay display, ScreenTerminalPort port) = Make();
            byte[] e = Encoding.UTF8.GetBytes("é");
            port.Write(e.AsSpan(0, 1));
            port.Write(e.AsSpan(1));
            AssertCell(display, 0, 0, 'é', 0xAAAAAA, 0);
            Assert.Equal((1, 0), port.Cursor);
        }

        [Fact]
        public void ABmpIsReadBottomUpWithItsColours()
        {
            // 2x2, 24-bit, bottom-up: bottom row blue, red; top row green, white. Rows padded to 8 bytes.
            byte[] file = new byte[54 + 16];
            file[0] = (byte)'B';
            file[1] = (byte)'M';
            BitConverter.GetBytes(file.Length).CopyTo(file, 2);
            BitConverter.GetBytes(54).CopyTo(file, 10);
            BitConverter.GetBytes(40).CopyTo(file, 14);
            BitConverter.GetBytes(2).CopyTo(file, 18);
            BitConverter.GetBytes(2).CopyTo(file, 22);
            BitConverter.GetBytes((short)1).CopyTo(file, 26);
            BitConverter.GetBytes((short)24).CopyTo(file, 28);
            new byte[] { 0xFF, 0, 0, 0, 0, 0xFF, 0, 0, 0, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0, 0 }.CopyTo(file, 54);
            Bitmap image = Bitmap.FromBmp(file);
            Assert.Equal(new uint[] { 0xFF00FF00, 0xFFFFFFFF, 0xFF0000FF, 0xFFFF0000 }, image.Pixels);

            Assert.Throws<FormatException>(() => Bitmap.FromBmp(file.AsSpan(0, 60)));
            file[28] = 8;
            Assert.Contains("8 bits per pixel", Assert.Throws<FormatException>(() => Bitmap.FromBmp(file)).Message);
        }
    }
}
