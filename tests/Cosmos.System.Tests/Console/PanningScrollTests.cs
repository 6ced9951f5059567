using System;
using System.Linq;
using System.Text;
using Cosmos.System.Console;
using Cosmos.System.Graphics;
using Xunit;

namespace Cosmos.System.Tests.Console
{
    /// <summary>
    /// Scrolling by panning (<see cref="Cosmos.HAL.Devices.IPanningDisplay"/>): after every write the screen the device
    /// shows is, pixel for pixel, the screen of the same console on a display that cannot pan (rows copied up), across
    /// wrap-arounds, erasing, odd heights and the software pointer; and a scroll sends only the rows that changed.
    /// </summary>
    public class PanningScrollTests
    {
        private sealed class Pair
        {
            public Pair(int columns, int rows, int extraPixelRows, int virtualHeight, bool hardwareCursor = false)
            {
                int width = columns * 8, height = (rows * 16) + extraPixelRows;
                Panning = new PanningMemoryDisplay(width, height, virtualHeight, hardwareCursor);
                Copying = new MemoryDisplay(width, height);
                PanningPort = new ScreenTerminalPort(Panning, PanningHub);
                CopyingPort = new ScreenTerminalPort(Copying, CopyingHub);
            }

            public PanningMemoryDisplay Panning { get; }

            public MemoryDisplay Copying { get; }

            public InputHub PanningHub { get; } = new();

            public InputHub CopyingHub { get; } = new();

            public ScreenTerminalPort PanningPort { get; }

            public ScreenTerminalPort CopyingPort { get; }

            public void Write(string text)
            {
                PanningPort.Write(Encoding.UTF8.GetBytes(text));
                CopyingPort.Write(Encoding.UTF8.GetBytes(text));
                AssertSameScreen(text);
            }

            // What the device shows is what the copying console has, and nothing drawn is left unsent.
            public void AssertSameScreen(string after)
            {
                uint[] shown = Panning.ShownScreen(), expected = Copying.Copy(), drawn = Panning.Pixels.ToArray();
                for (int i = 0; i < expected.Length; i++)
                {
                    int x = i % Copying.Width, y = i / Copying.Width;
                    Assert.True(expected[i] == shown[i], $"after {Escape(after)}: pixel ({x}, {y}) shows {shown[i]:x6}, the copying console has {expected[i]:x6} (origin {Panning.PanOrigin})");
                    Assert.True(drawn[i] == shown[i], $"after {Escape(after)}: pixel ({x}, {y}) drawn {drawn[i]:x6} but the device shows {shown[i]:x6} (origin {Panning.PanOrigin})");
                }

                Assert.Equal(CopyingPort.Cursor, PanningPort.Cursor);
                Assert.Equal(CopyingPort.ScrolledLines, PanningPort.ScrolledLines);
                Assert.Null(PanningPort.LastError);
            }

            private static string Escape(string text) => text.Replace("\u001b", "ESC").Replace("\n", "\\n").Replace("\r", "\\r");
        }

        // True when the device shows c in cell (column, row) in fg on bg (the cursor's two bottom rows excluded).
        private static void AssertShownCell(PanningMemoryDisplay display, int column, int row, char c, uint fg, uint bg)
        {
            ReadOnlySpan<byte> glyph = ConsoleFont.Glyph(c);
            for (int y = 0; y < 14; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    uint expected = (glyph[y] & (0x80 >> x)) != 0 ? fg : bg;
                    Assert.True(expected == display.Shown((column * 8) + x, (row * 16) + y), $"cell {column},{row} '{c}' pixel {x},{y}");
                }
            }
        }

        [Theory]
        [InlineData(2 * 64)]        // two screens: a wrap every 4 lines
        [InlineData(64 + 16)]       // one spare text row: a wrap on every other line
        [InlineData((3 * 64) + 7)]  // not a whole number of text rows
        public void AfterEveryScrollTheScreenShowsExactlyWhatTheCopyingConsoleShows(int virtualHeight)
        {
            var pair = new Pair(columns: 10, rows: 4, extraPixelRows: 0, virtualHeight);
            for (int i = 0; i < 30; i++)
            {
                pair.Write($"line {i}\n");
            }

            Assert.Equal(27, pair.PanningPort.ScrolledLines);
            Assert.Equal(27, pair.Panning.Pans.Count);
            for (int row = 0; row < 3; row++)
            {
                string text = $"line {27 + row}";
                for (int column = 0; column < text.Length; column++)
                {
                    AssertShownCell(pair.Panning, column, row, text[column], 0xAAAAAA, 0);
                }
            }

            // The screen went down the framebuffer and came back to its top at least twice.
            Assert.True(pair.Panning.Pans.Count(p => p.Origin == 0) >= 2, string.Join(", ", pair.Panning.Pans.Select(p => p.Origin)));
            Assert.Contains(pair.Panning.Pans, p => p.Origin > 0);
        }

        [Fact]
        public void AScrollSendsTheNewRowAndWhatWasDrawnAboveItAndTheWholeScreenOnlyWhenItWraps()
        {
            // 20 rows of 16 pixels on a framebuffer two screens high: origins 0, 16, … 320, then back to the top.
            var pair = new Pair(columns: 20, rows: 20, extraPixelRows: 0, virtualHeight: 2 * 320);
            for (int i = 0; i < 20; i++)
            {
                pair.Write($"fill {i}\n");
            }

            pair.Panning.Pans.Clear();
            long sentBefore = pair.Panning.RowsSent;
            for (int i = 0; i < 63; i++)
            {
                pair.Write($"scroll {i}\n");
            }

            Assert.Equal(63, pair.Panning.Pans.Count);
            foreach ((int origin, int top, int rows) in pair.Panning.Pans)
            {
                Assert.Equal(origin + 320, top + rows);     // sent up to the screen's bottom
                if (origin != 0)
                {
                    Assert.True(rows <= 32, $"pan to {origin} sent {rows} rows: the new row and the line written above it at most");
                }
                else
                {
                    Assert.Equal(320, rows);                   // wrap-around: the screen copied to the top is sent whole
                }
            }

            Assert.Equal(3, pair.Panning.Pans.Count(p => p.Origin == 0));

            // The copying console sends the whole text area on every scroll; this one about two rows a line.
            long sent = pair.Panning.RowsSent - sentBefore;
            Assert.True(sent < 63 * 320 / 4, $"{sent} rows sent for 63 scrolls of a 320-row screen");
        }

        [Fact]
        public void ErasingColoursAndCursorMovesBetweenScrollsShowTheSameOnAnOddHeight()
        {
            // 6 text rows and 5 pixel rows below the last one, which keep their colour on the screen while it pans.
            var pair = new Pair(columns: 12, rows: 6, extraPixelRows: 5, virtualHeight: 2 * ((6 * 16) + 5));
            pair.Write("\u001b[44m\u001b[2J\u001b[H");
            pair.Write("blue\nscreen\n");
            for (int i = 0; i < 5; i++)
            {
                pair.Write($"\u001b[3{i}mcolour {i}\n");
            }

            pair.Write("\u001b[1;1H\u001b[7mTOP\u001b[0m\u001b[K");
            pair.Write("\u001b[6;3H\u001b[41mX\u001b[J\n\n");
            pair.Write("\u001b[3;5H\u001b[1J");
            pair.Write("\u001b[2;1H\u001b[42m\u001b[2K");
            for (int i = 0; i < 9; i++)
            {
                pair.Write($"\u001b[6;1Hrow {i} with a line longer than twelve columns");
            }

            pair.Write("\u001b[0m\u001b[2J\u001b[Hafter clear\n");
            for (int i = 0; i < 14; i++)
            {
                pair.Write(i % 3 == 0 ? $"\u001b[9{i % 8}m{i}\u001b[0m\n" : $"{i}\n");
            }

            Assert.True(pair.PanningPort.ScrolledLines > 20, $"{pair.PanningPort.ScrolledLines} scrolls");
            Assert.True(pair.Panning.Pans.Count(p => p.Origin == 0) >= 2, "wrapped at least twice");
        }

        [Fact]
        public void TheSoftwarePointerStaysOnTopWhileTheScreenPansAndLeavesTheTextWhole()
        {
            var pair = new Pair(columns: 20, rows: 4, extraPixelRows: 0, virtualHeight: 2 * 64);
            var mouse = new FakeMouse();
            mouse.Move(pair.PanningHub, 20, 40);
            mouse.Move(pair.CopyingHub, 20, 40);
            Assert.Equal((20, 40), pair.PanningPort.SoftwarePointer);
            pair.AssertSameScreen("the first pointer move");
            for (int i = 0; i < 12; i++)
            {
                pair.Write($"under the pointer {i}\n");
                Assert.Equal(0u, pair.Panning.Shown(20, 40)); // the arrow's black tip
            }

            mouse.Move(pair.PanningHub, 100, -30);
            mouse.Move(pair.CopyingHub, 100, -30);
            pair.AssertSameScreen("the pointer moved away");
        }

        [Fact]
        public void AHardwarePointerIsNotMovedByPanning()
        {
            var pair = new Pair(columns: 10, rows: 4, extraPixelRows: 0, virtualHeight: 2 * 64, hardwareCursor: true);
            new FakeMouse().Move(pair.PanningHub, 30, 50);
            Assert.Equal((30, 50), pair.Panning.CursorPosition);
            for (int i = 0; i < 9; i++)
            {
                pair.Write($"{i}\n");
            }

            Assert.Equal((30, 50), pair.Panning.CursorPosition);
            Assert.Null(pair.PanningPort.SoftwarePointer);
        }

        [Fact]
        public void ADisplayWithNoSpareRowCopiesAsBefore()
        {
            var pair = new Pair(columns: 10, rows: 4, extraPixelRows: 0, virtualHeight: 64 + 15);
            for (int i = 0; i < 8; i++)
            {
                pair.Write($"{i}\n");
            }

            Assert.Empty(pair.Panning.Pans);
            Assert.Equal(0, pair.Panning.PanOrigin);
            Assert.Equal(5, pair.PanningPort.ScrolledLines);
        }
    }
}
