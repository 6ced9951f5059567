using System;
using System.Text;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Console
{
    /// <summary>
    /// A terminal on a character-cell display (VGA text mode, when the boot loader set no graphics mode) and the
    /// keyboards: the same ANSI/VT100 subset as <see cref="ScreenTerminalPort"/> (SGR colours 30–37/90–97 and
    /// 40–47/100–107, bold, reverse; CUU/CUD/CUF/CUB/CUP; ED and EL), scrolling, and the display's own blinking
    /// cursor. Characters outside printable ASCII show as '?' (the font is code page 437's).
    /// </summary>
    public sealed class TextModeTerminalPort : ITerminalPort
    {
        // ANSI colour n (0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white) is VGA palette
        // entry AnsiToVga[n]: VGA orders its colours by the bits blue = 1, green = 2, red = 4.
        private static readonly byte[] AnsiToVga = { 0, 4, 2, 6, 1, 5, 3, 7 };
        private const int DefaultForeground = 7, DefaultBackground = 0;

        private readonly ITextDisplay _display;
        private readonly InputHub _input;
        private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
        private readonly char[] _chars = new char[256];
        private readonly object _gate = new();
        private readonly StringBuilder _parameters = new();
        private int _foreground = DefaultForeground, _background = DefaultBackground;
        private bool _bold, _reverse;
        private int _escape; // 0 none, 1 after ESC, 2 inside CSI

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
            _display.Cells.Fill(Blank());
            _display.MoveCursor(0, 0);
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <summary>Text columns.</summary>
        public int Columns => _display.Columns;

        /// <summary>Text rows.</summary>
        public int Rows => _display.Rows;

        /// <summary>The cursor's cell (column, row), from 0.</summary>
        public (int Column, int Row) Cursor { get; private set; }

        /// <summary>Lines scrolled off the top since the start.</summary>
        public long ScrolledLines { get; private set; }

        /// <summary>The display this terminal writes to.</summary>
        public ITextDisplay Display => _display;

        /// <inheritdoc />
        public void Write(ReadOnlySpan<byte> bytes)
        {
            lock (_gate)
            {
                while (!bytes.IsEmpty)
                {
                    int take = Math.Min(bytes.Length, _chars.Length);
                    int count = _utf8.GetChars(bytes[..take], _chars, flush: false);
                    for (int i = 0; i < count; i++)
                    {
                        Put(_chars[i]);
                    }

                    bytes = bytes[take..];
                }

                _display.MoveCursor(Math.Min(Cursor.Column, Columns - 1), Cursor.Row);
            }
        }

        /// <inheritdoc />
        public bool TryRead(out byte value) => _input.TryReadByte(out value);

        private void Put(char c)
        {
            if (_escape == 1)
            {
                _escape = c == '[' ? 2 : 0;
                _parameters.Clear();
                return;
            }

            if (_escape == 2)
            {
                if ((c >= '0' && c <= '9') || c == ';' || c == '?')
                {
                    _parameters.Append(c);
                    return;
                }

                _escape = 0;
                Control(c, _parameters.ToString());
                return;
            }

            switch (c)
            {
                case '\u001b':
                    _escape = 1;
                    return;
                case '\n':
                    Cursor = (0, Cursor.Row);
                    LineFeed();
                    return;
                case '\r':
                    Cursor = (0, Cursor.Row);
                    return;
                case '\b':
                    Cursor = (Math.Max(0, Cursor.Column - 1), Cursor.Row);
                    return;
                case '\t':
                    Cursor = (Math.Min(Columns - 1, (Cursor.Column + 8) & ~7), Cursor.Row);
                    return;
            }

            if (c < ' ')
            {
                return;
            }

            if (Cursor.Column >= Columns)
            {
                Cursor = (0, Cursor.Row);
                LineFeed();
            }

            byte glyph = c < 0x7F ? (byte)c : (byte)'?';
            _display.Cells[(Cursor.Row * Columns) + Cursor.Column] = (ushort)(glyph | (Attribute() << 8));
            Cursor = (Cursor.Column + 1, Cursor.Row);
        }

        // VGA attribute: foreground in bits 0-3 (bit 3 bright), background in bits 4-6 (bit 7 is blink; never set).
        private int Attribute()
        {
            int fg = _foreground + (_bold && _foreground < 8 ? 8 : 0);
            int bg = _background;
            if (_reverse)
            {
                (fg, bg) = (bg, fg);
            }

            return Vga(fg) | ((Vga(bg) & 7) << 4);
        }

        private static int Vga(int ansi) => AnsiToVga[ansi & 7] | (ansi & 8);

        // A cleared cell: a space on the current background, light grey for the cursor drawn over it.
        private ushort Blank() => (ushort)(' ' | ((((Vga(_background) & 7) << 4) | 7) << 8));

        private void LineFeed()
        {
            if (Cursor.Row + 1 < Rows)
            {
                Cursor = (Cursor.Column, Cursor.Row + 1);
                return;
            }

            Span<ushort> cells = _display.Cells;
            cells[Columns..].CopyTo(cells);
            cells[((Rows - 1) * Columns)..].Fill(Blank());
            ScrolledLines++;
        }

        private void Control(char final, string parameters)
        {
            string[] parts = parameters.Split(';');
            int Arg(int index, int fallback) => index < parts.Length && int.TryParse(parts[index], out int n) && n > 0 ? n : fallback;
            switch (final)
            {
                case 'A': Cursor = (Cursor.Column, Math.Max(0, Cursor.Row - Arg(0, 1))); break;
                case 'B': Cursor = (Cursor.Column, Math.Min(Rows - 1, Cursor.Row + Arg(0, 1))); break;
                case 'C': Cursor = (Math.Min(Columns - 1, Cursor.Column + Arg(0, 1)), Cursor.Row); break;
                case 'D': Cursor = (Math.Max(0, Cursor.Column - Arg(0, 1)), Cursor.Row); break;
                case 'H':
                case 'f': Cursor = (Math.Min(Columns - 1, Arg(1, 1) - 1), Math.Min(Rows - 1, Arg(0, 1) - 1)); break;
                case 'J': EraseDisplay(Arg(0, 0)); break;
                case 'K': EraseLine(Arg(0, 0)); break;
                case 'm': SelectGraphicRendition(parts); break;
            }
        }

        private void EraseDisplay(int mode)
        {
            Span<ushort> cells = _display.Cells;
            int here = (Cursor.Row * Columns) + Math.Min(Cursor.Column, Columns - 1);
            switch (mode)
            {
                case 0: cells[here..].Fill(Blank()); break;
                case 1: cells[..(here + 1)].Fill(Blank()); break;
                default: cells.Fill(Blank()); Cursor = (0, 0); break;
            }
        }

        private void EraseLine(int mode)
        {
            Span<ushort> row = _display.Cells.Slice(Cursor.Row * Columns, Columns);
            int column = Math.Min(Cursor.Column, Columns - 1);
            switch (mode)
            {
                case 0: row[column..].Fill(Blank()); break;
                case 1: row[..(column + 1)].Fill(Blank()); break;
                default: row.Fill(Blank()); break;
            }
        }

        private void SelectGraphicRendition(string[] parts)
        {
            foreach (string part in parts)
            {
                int code = part.Length == 0 ? 0 : int.TryParse(part, out int n) ? n : -1;
                switch (code)
                {
                    case 0: _foreground = DefaultForeground; _background = DefaultBackground; _bold = _reverse = false; break;
                    case 1: _bold = true; break;
                    case 22: _bold = false; break;
                    case 7: _reverse = true; break;
                    case 27: _reverse = false; break;
                    case >= 30 and <= 37: _foreground = code - 30; break;
                    case 39: _foreground = DefaultForeground; break;
                    case >= 40 and <= 47: _background = code - 40; break;
                    case 49: _background = DefaultBackground; break;
                    case >= 90 and <= 97: _foreground = code - 90 + 8; break;
                    case >= 100 and <= 107: _background = code - 100 + 8; break;
                }
            }
        }
    }
}
