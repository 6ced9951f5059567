using System;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Console;
using Xunit;

namespace Cosmos.System.Tests.Console
{
    /// <summary>The VGA text-mode console on a fake cell buffer: characters and attributes, escape sequences, scrolling, the hardware cursor.</summary>
    public class TextModeTerminalPortTests
    {
        private sealed class FakeTextDisplay : ITextDisplay
        {
            private readonly ushort[] _cells;

            public FakeTextDisplay(int columns, int rows)
            {
                Columns = columns;
                Rows = rows;
                _cells = new ushort[columns * rows];
                Array.Fill(_cells, (ushort)0xFFFF);
            }

            public DeviceClass Class => DeviceClass.Other;

            public string NameStem => "vgatext";

            public string DriverName => "fake";

            public string Transport => "memory";

            public InterruptMode InterruptMode => InterruptMode.Polled;

            public int Columns { get; }

            public int Rows { get; }

            public Span<ushort> Cells => _cells;

            public (int Column, int Row) HardwareCursor { get; private set; } = (-1, -1);

            public void MoveCursor(int column, int row) => HardwareCursor = (column, row);

            public string Row(int row)
            {
                var text = new StringBuilder();
                for (int column = 0; column < Columns; column++)
                {
                    text.Append((char)(_cells[(row * Columns) + column] & 0xFF));
                }

                return text.ToString();
            }

            public byte AttributeAt(int column, int row) => (byte)(_cells[(row * Columns) + column] >> 8);
        }

        private static (FakeTextDisplay Display, TextModeTerminalPort Port) Make(int columns = 10, int rows = 3)
        {
            var display = new FakeTextDisplay(columns, rows);
            return (display, new TextModeTerminalPort(display, new InputHub()));
        }

        private static void Write(TextModeTerminalPort port, string text) => port.Write(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void StartsOnABlankScreenWithTheCursorHome()
        {
            (FakeTextDisplay display, _) = Make();
            for (int row = 0; row < display.Rows; row++)
            {
                Assert.Equal(new string(' ', 10), display.Row(row));
                Assert.Equal(0x07, display.AttributeAt(0, row));
            }

            Assert.Equal((0, 0), display.HardwareCursor);
        }

        [Fact]
        public void TextGoesIntoCellsInLightGreyOnBlackAndTheCursorFollows()
        {
            (FakeTextDisplay display, TextModeTerminalPort port) = Make();
            Write(port, "cosmos> ls\r\nab\tc");
            Assert.Equal("cosmos> ls", display.Row(0));
            Assert.Equal("ab      c ", display.Row(1));
            Assert.Equal(0x07, display.AttributeAt(1, 1));
            Assert.Equal((9, 1), port.Cursor);
            Assert.Equal((9, 1), display.HardwareCursor);
        }

        [Fact]
        public void AnsiColoursBecomeVgaAttributes()
        {
            (FakeTextDisplay display, TextModeTerminalPort port) = Make();
            // red on blue, bright green, reverse video of the defaults
            Write(port, "\u001b[31;44mR\u001b[0m\u001b[1;32mG\u001b[0m\u001b[7mV\u001b[0m\u001b[93;101mY");
            Assert.Equal(0x14, display.AttributeAt(0, 0));  // VGA red 4 on VGA blue 1
            Assert.Equal(0x0A, display.AttributeAt(1, 0));  // bright green
            Assert.Equal(0x70, display.AttributeAt(2, 0));  // black on light grey
            Assert.Equal(0x4E, display.AttributeAt(3, 0));  // yellow on red (the bright background loses its intensity bit: bit 7 blinks)
        }

        [Fact]
        public void LinesScrollUpWhenTheLastRowIsFull()
        {
            (FakeTextDisplay display, TextModeTerminalPort port) = Make(columns: 4, rows: 3);
            Write(port, "one\ntwo\nthree\nfour");
            // "three" wraps after 4 columns (one, two, thre, e, four): the last three rows remain.
            Assert.Equal("thre", display.Row(0));
            Assert.Equal("e   ", display.Row(1));
            Assert.Equal("four", display.Row(2));
            Assert.Equal(2, port.ScrolledLines);
            Assert.Equal((3, 2), display.HardwareCursor);
        }

        [Fact]
        public void CursorMovementAndErasingWork()
        {
            (FakeTextDisplay display, TextModeTerminalPort port) = Make();
            Write(port, "0123456789\u001b[2;3Hxy\u001b[1;5H\u001b[K\u001b[D\u001b[D*");
            Assert.Equal("01*3      ", display.Row(0));
            Assert.Equal("  xy      ", display.Row(1));
            Write(port, "\u001b[2J");
            Assert.Equal(new string(' ', 10), display.Row(1));
            Assert.Equal((0, 0), port.Cursor);
        }

        [Fact]
        public void CharactersBeyondAsciiShowAsQuestionMarks()
        {
            (FakeTextDisplay display, TextModeTerminalPort port) = Make();
            Write(port, "é€a");
            Assert.Equal("??a       ", display.Row(0));
        }

        [Fact]
        public void ADisplayWithoutCellsIsRefused()
        {
            var display = new FakeTextDisplay(0, 25);
            Assert.Throws<ArgumentException>(() => new TextModeTerminalPort(display, new InputHub()));
        }
    }
}
