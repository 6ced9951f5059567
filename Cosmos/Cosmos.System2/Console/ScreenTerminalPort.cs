using System;
using System.Diagnostics;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.System.Graphics;

namespace Cosmos.System.Console
{
    /// <summary>
    /// A terminal on a display and the keyboards: text in the console font on a grid of 8×16 cells, with the
    /// ANSI/VT100 sequences the kernel writes (SGR colours 30–37/90–97 and 40–47/100–107, bold, reverse; cursor
    /// movement CUU/CUD/CUF/CUB/CUP; ED and EL clearing), scrolling, a blinking block cursor and the mouse
    /// pointer (the display's hardware cursor). Each write shows only the cells it changed. Input is the
    /// <see cref="InputHub"/>'s typed bytes.
    /// </summary>
    public sealed class ScreenTerminalPort : ITerminalPort
    {
        /// <summary>The 16 ANSI colours as 0xRRGGBB (VGA-like).</summary>
        public static readonly uint[] Palette =
        {
            0x000000, 0xAA0000, 0x00AA00, 0xAA5500, 0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA,
            0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF,
        };

        private const int DefaultForeground = 7, DefaultBackground = 0;
        private static readonly long BlinkTicks = Stopwatch.Frequency / 2;

        private readonly IDisplayDevice _display;
        private readonly InputHub _input;
        private readonly Canvas _canvas;
        private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
        private readonly char[] _chars = new char[256];
        private readonly object _gate = new();
        private int _foreground = DefaultForeground, _background = DefaultBackground;
        private bool _bold, _reverse;
        private int _escape; // 0 none, 1 after ESC, 2 inside CSI
        private readonly StringBuilder _parameters = new();
        private bool _cursorShown;
        private long _lastBlink;

        // The mouse pointer where the display draws none (firmware framebuffer, SVGA II): drawn into the pixels over
        // the console, with what it covers kept to put back. Shown from the pointer's first move on.
        private const int SoftwarePointerSize = 16;
        private readonly uint[]? _softwarePointer;
        private readonly uint[] _underPointer = new uint[SoftwarePointerSize * SoftwarePointerSize];
        private (int X, int Y, int Width, int Height)? _pointerDrawn;
        private bool _pointerShown;

        /// <summary>A terminal drawing on <paramref name="display"/> and reading <paramref name="input"/>.</summary>
        public ScreenTerminalPort(IDisplayDevice display, InputHub input, string name = "tty0")
        {
            _display = display ?? throw new ArgumentNullException(nameof(display));
            _input = input ?? throw new ArgumentNullException(nameof(input));
            Name = name;
            _canvas = new Canvas(display);
            Columns = display.Width / ConsoleFont.Width;
            Rows = display.Height / ConsoleFont.Height;
            _input.ScreenSize = (display.Width, display.Height);
            _canvas.Clear(Palette[DefaultBackground]);
            ShowCursor(true);
            LastError = _canvas.Display();
            if (display.HasHardwareCursor)
            {
                LastError ??= display.SetCursor(ArrowCursor(display.CursorSize), 0, 0);
                _input.PointerChanged = () => LastError = _display.MoveCursor(_input.Pointer.X, _input.Pointer.Y) ?? LastError;
            }
            else
            {
                _softwarePointer = ArrowCursor(SoftwarePointerSize);
                _input.PointerChanged = MoveSoftwarePointer;
            }
        }

        /// <summary>Where the console drew the mouse pointer itself (displays without one), or null when it is not on screen.</summary>
        public (int X, int Y)? SoftwarePointer => _pointerDrawn is (int x, int y, _, _) ? (x, y) : null;

        /// <inheritdoc />
        public string Name { get; }

        /// <summary>Text columns.</summary>
        public int Columns { get; private set; }

        /// <summary>Text rows.</summary>
        public int Rows { get; private set; }

        /// <summary>Times the display changed mode under the console (the host resized it).</summary>
        public int ModeChanges { get; private set; }

        /// <summary>The cursor's cell (column, row), from 0.</summary>
        public (int Column, int Row) Cursor { get; private set; }

        /// <summary>The display's last error (a flush it refused), or null.</summary>
        public string? LastError { get; private set; }

        /// <summary>Lines scrolled off the top since the start.</summary>
        public long ScrolledLines { get; private set; }

        /// <summary>The display this terminal draws on.</summary>
        public IDisplayDevice Display => _display;

        /// <inheritdoc />
        public void Write(ReadOnlySpan<byte> bytes)
        {
            lock (_gate)
            {
                ShowCursor(false);
                HidePointer();
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

                ShowCursor(true);
                DrawPointer();
                _lastBlink = Stopwatch.GetTimestamp();
                LastError = _canvas.Display() ?? LastError;
            }
        }

        /// <inheritdoc />
        public bool TryRead(out byte value)
        {
            if (_input.TryReadByte(out value))
            {
                return true;
            }

            // Polled while the console waits for input: blink the cursor twice a second.
            long now = Stopwatch.GetTimestamp();
            if (now - _lastBlink >= BlinkTicks && global::System.Threading.Monitor.TryEnter(_gate))
            {
                try
                {
                    _lastBlink = now;
                    HidePointer();
                    if (_display.TakeModeChangeRequest())
                    {
                        ChangeMode();
                    }

                    ShowCursor(!_cursorShown);
                    DrawPointer();
                    LastError = _canvas.Display() ?? LastError;
                }
                finally
                {
                    global::System.Threading.Monitor.Exit(_gate);
                }
            }

            return false;
        }

        // The pointer moved (called by the input hub, on whichever thread read the event). A console busy writing
        // draws it when its write ends.
        private void MoveSoftwarePointer()
        {
            _pointerShown = true;
            if (!global::System.Threading.Monitor.TryEnter(_gate))
            {
                return;
            }

            try
            {
                HidePointer();
                DrawPointer();
                LastError = _canvas.Display() ?? LastError;
            }
            finally
            {
                global::System.Threading.Monitor.Exit(_gate);
            }
        }

        private void DrawPointer()
        {
            if (_softwarePointer is null || !_pointerShown)
            {
                return;
            }

            (int x, int y) = _input.Pointer;
            int width = Math.Min(SoftwarePointerSize, _display.Width - x), height = Math.Min(SoftwarePointerSize, _display.Height - y);
            if (x < 0 || y < 0 || width <= 0 || height <= 0)
            {
                return;
            }

            Span<uint> pixels = _display.Pixels;
            int stride = _display.Stride;
            for (int row = 0; row < height; row++)
            {
                for (int column = 0; column < width; column++)
                {
                    int at = ((y + row) * stride) + x + column, own = (row * SoftwarePointerSize) + column;
                    _underPointer[own] = pixels[at];
                    uint argb = _softwarePointer[own];
                    if ((argb >> 24) != 0)
                    {
                        pixels[at] = argb & 0x00FFFFFF;
                    }
                }
            }

            _pointerDrawn = (x, y, width, height);
            _canvas.Invalidate(x, y, width, height);
        }

        private void HidePointer()
        {
            if (_pointerDrawn is not (int x, int y, int width, int height))
            {
                return;
            }

            _pointerDrawn = null;
            Span<uint> pixels = _display.Pixels;
            int stride = _display.Stride;
            for (int row = 0; row < height; row++)
            {
                _underPointer.AsSpan(row * SoftwarePointerSize, width).CopyTo(pixels.Slice(((y + row) * stride) + x, width));
            }

            _canvas.Invalidate(x, y, width, height);
        }

        // The host asked for another mode (virtio-gpu display event): take it, start again on a clear screen.
        private void ChangeMode()
        {
            string? error = _display.ApplyPreferredMode();
            if (error is not null)
            {
                LastError = error;
                return;
            }

            ModeChanges++;
            _canvas.Resize();
            Columns = _display.Width / ConsoleFont.Width;
            Rows = _display.Height / ConsoleFont.Height;
            _input.ScreenSize = (_display.Width, _display.Height);
            Cursor = (0, 0);
            _cursorShown = false;
            _canvas.Clear(Palette[_background]);
        }

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
                case '\a':
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

            (uint fg, uint bg) = Colours();
            _canvas.DrawChar(c, fg, bg, Cursor.Column * ConsoleFont.Width, Cursor.Row * ConsoleFont.Height);
            Cursor = (Cursor.Column + 1, Cursor.Row);
        }

        private (uint Foreground, uint Background) Colours()
        {
            int fg = _foreground + (_bold && _foreground < 8 ? 8 : 0);
            return _reverse ? (Palette[_background], Palette[fg]) : (Palette[fg], Palette[_background]);
        }

        private void LineFeed()
        {
            if (Cursor.Row + 1 < Rows)
            {
                Cursor = (Cursor.Column, Cursor.Row + 1);
                return;
            }

            // Scroll: every pixel row moves up one text row; the last text row is cleared.
            Span<uint> pixels = _display.Pixels;
            int stride = _display.Stride, rowPixels = stride * ConsoleFont.Height;
            int textPixels = Rows * rowPixels;
            pixels.Slice(rowPixels, textPixels - rowPixels).CopyTo(pixels);
            _canvas.Invalidate(0, 0, _display.Width, Rows * ConsoleFont.Height);
            _canvas.FillRectangle(Palette[_background], 0, (Rows - 1) * ConsoleFont.Height, _display.Width, ConsoleFont.Height);
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
            uint bg = Palette[_background];
            int cellTop = Cursor.Row * ConsoleFont.Height;
            if (mode == 2 || mode == 3)
            {
                _canvas.FillRectangle(bg, 0, 0, _display.Width, _display.Height);
                Cursor = (0, 0);
                return;
            }

            EraseLine(mode);
            if (mode == 0)
            {
                _canvas.FillRectangle(bg, 0, cellTop + ConsoleFont.Height, _display.Width, _display.Height - cellTop - ConsoleFont.Height);
            }
            else
            {
                _canvas.FillRectangle(bg, 0, 0, _display.Width, cellTop);
            }
        }

        private void EraseLine(int mode)
        {
            uint bg = Palette[_background];
            int x = Cursor.Column * ConsoleFont.Width, y = Cursor.Row * ConsoleFont.Height;
            switch (mode)
            {
                case 0: _canvas.FillRectangle(bg, x, y, _display.Width - x, ConsoleFont.Height); break;
                case 1: _canvas.FillRectangle(bg, 0, y, x + ConsoleFont.Width, ConsoleFont.Height); break;
                default: _canvas.FillRectangle(bg, 0, y, _display.Width, ConsoleFont.Height); break;
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

        // The text cursor is an underline bar in the cell's two bottom pixel rows, drawn by inverting them.
        private void ShowCursor(bool show)
        {
            if (show == _cursorShown)
            {
                return;
            }

            _cursorShown = show;
            int column = Math.Min(Cursor.Column, Columns - 1);
            int x = column * ConsoleFont.Width, y = (Cursor.Row * ConsoleFont.Height) + ConsoleFont.Height - 2;
            Span<uint> pixels = _display.Pixels;
            for (int row = y; row < y + 2; row++)
            {
                for (int px = x; px < x + ConsoleFont.Width; px++)
                {
                    pixels[(row * _display.Stride) + px] ^= 0xFFFFFF;
                }
            }

            _canvas.Invalidate(x, y, ConsoleFont.Width, 2);
        }

        // A white arrow with a black outline, 11 pixels wide and 16 high, in a transparent square.
        private static uint[] ArrowCursor(int size)
        {
            var image = new uint[size * size];
            for (int y = 0; y < 16 && y < size; y++)
            {
                int width = y < 11 ? y + 1 : 11 - ((y - 10) * 2);
                for (int x = 0; x < width && x < size; x++)
                {
                    bool edge = x == 0 || x == width - 1 || y == 15 || (y == 10 && x > 5);
                    image[(y * size) + x] = edge ? 0xFF000000 : 0xFFFFFFFF;
                }
            }

            return image;
        }
    }
}
