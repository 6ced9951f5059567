using System;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Console
{
    /// <summary>
    /// A terminal on a character-cell display (VGA text mode, when the boot loader set no graphics mode) and the
    /// keyboards: the same ANSI/VT100 subset as <see cref="ScreenTerminalPort"/> (SGR colours 30–37/90–97 and
    /// 40–47/100–107, bold, reverse; CUU/CUD/CUF/CUB/CUP; ED and EL), scrolling, and the display's own blinking
    /// cursor. Characters outside printable ASCII show as '?' (the font is code page 437's).
    /// </summary>
    public sealed class TextModeTerminalPort : ITerminalPort, ICharacterGrid
    {
        // ANSI colour n (0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white) is VGA palette
        // entry AnsiToVga[n]: VGA orders its colours by the bits blue = 1, green = 2, red = 4.
        private static readonly byte[] AnsiToVga = { 0, 4, 2, 6, 1, 5, 3, 7 };

        private readonly ITextDisplay _display;
        private readonly InputHub _input;
        private readonly AnsiDecoder _decoder;
        private readonly object _gate = new();

        /// <summary>A terminal writing to <paramref name="display"/> and reading <paramref name="input"/>.</summary>
        public TextModeTerminalPort(ITextDisplay display, InputHub input, string name = "tty0")
        {
            _display = display ?? throw new ArgumentNullException(nameof(display));
            _input = input ?? throw new ArgumentNullException(nameof(input));
            if (display.Columns <= 0 || display.Rows <= 0)
            {
                throw new ArgumentException($"a text display of {display.Columns}x{display.Rows} cells", nameof(display));
            }

            Name = name;
            _decoder = new AnsiDecoder(this);
            _display.Cells.Fill(Blank(_decoder.Rendition.Background));
            _display.MoveCursor(0, 0);
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <summary>Text columns.</summary>
        public int Columns => _display.Columns;

        /// <summary>Text rows.</summary>
        public int Rows => _display.Rows;

        /// <summary>The cursor's cell (column, row), from 0.</summary>
        public (int Column, int Row) Cursor => _decoder.Cursor;

        /// <summary>Lines scrolled off the top since the start.</summary>
        public long ScrolledLines { get; private set; }

        /// <summary>The display this terminal writes to.</summary>
        public ITextDisplay Display => _display;

        /// <inheritdoc />
        public void Write(ReadOnlySpan<byte> bytes)
        {
            lock (_gate)
            {
                _decoder.Write(bytes);
                _display.MoveCursor(Math.Min(Cursor.Column, Columns - 1), Cursor.Row);
            }
        }

        /// <inheritdoc />
        public bool TryRead(out byte value) => _input.TryReadByte(out value);

        void ICharacterGrid.Draw(char c, int column, int row, int foreground, int background)
        {
            byte glyph = c < 0x7F ? (byte)c : (byte)'?';
            _display.Cells[(row * Columns) + column] = (ushort)(glyph | (Attribute(foreground, background) << 8));
        }

        void ICharacterGrid.ScrollUp(int background)
        {
            Span<ushort> cells = _display.Cells;
            cells[Columns..].CopyTo(cells);
            cells[((Rows - 1) * Columns)..].Fill(Blank(background));
            ScrolledLines++;
        }

        void ICharacterGrid.EraseInDisplay(EraseExtent extent, (int Column, int Row) cursor, int background)
        {
            Span<ushort> cells = _display.Cells;
            int here = (cursor.Row * Columns) + Math.Min(cursor.Column, Columns - 1);
            switch (extent)
            {
                case EraseExtent.ToEnd: cells[here..].Fill(Blank(background)); break;
                case EraseExtent.ToStart: cells[..(here + 1)].Fill(Blank(background)); break;
                default: cells.Fill(Blank(background)); break;
            }
        }

        void ICharacterGrid.EraseInLine(EraseExtent extent, (int Column, int Row) cursor, int background)
        {
            Span<ushort> row = _display.Cells.Slice(cursor.Row * Columns, Columns);
            int column = Math.Min(cursor.Column, Columns - 1);
            switch (extent)
            {
                case EraseExtent.ToEnd: row[column..].Fill(Blank(background)); break;
                case EraseExtent.ToStart: row[..(column + 1)].Fill(Blank(background)); break;
                default: row.Fill(Blank(background)); break;
            }
        }

        // VGA attribute: foreground in bits 0-3 (bit 3 bright), background in bits 4-6 (bit 7 is blink; never set).
        private static int Attribute(int foreground, int background) => Vga(foreground) | ((Vga(background) & 7) << 4);

        private static int Vga(int ansi) => AnsiToVga[ansi & 7] | (ansi & 8);

        // A cleared cell: a space on the background, light grey for the cursor drawn over it.
        private static ushort Blank(int background) => (ushort)(' ' | ((((Vga(background) & 7) << 4) | 7) << 8));
    }
}
