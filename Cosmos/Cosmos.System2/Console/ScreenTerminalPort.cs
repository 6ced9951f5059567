using System;
using System.Diagnostics;
using Cosmos.HAL.Devices;
using Cosmos.System.Graphics;

namespace Cosmos.System.Console
{
    /// <summary>
    /// A terminal on a display and the keyboards: text in the console font on a grid of 8×16 cells, with the
    /// ANSI/VT100 sequences the kernel writes (SGR colours 30–37/90–97 and 40–47/100–107, bold, reverse; cursor
    /// movement CUU/CUD/CUF/CUB/CUP; ED and EL clearing), scrolling (by panning the screen over a taller
    /// framebuffer on an <see cref="IPanningDisplay"/>, else by moving the pixels up), a blinking underline cursor
    /// and the mouse pointer (the display's hardware cursor, else one drawn in the pixels). Each write shows only
    /// the cells it changed. Input is the <see cref="InputHub"/>'s typed bytes.
    /// </summary>
    public sealed class ScreenTerminalPort : ITerminalPort, ICharacterGrid
    {
        /// <summary>The 16 ANSI colours as 0xRRGGBB (VGA-like).</summary>
        public static readonly uint[] Palette =
        {
            0x000000, 0xAA0000, 0x00AA00, 0xAA5500, 0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA,
            0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF,
        };

        private static readonly long BlinkTicks = Stopwatch.Frequency / 2;

        private readonly IDisplayDevice _display;
        private readonly InputHub _input;
        private readonly Canvas _canvas;
        private readonly AnsiDecoder _decoder;
        private readonly object _gate = new();
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
            _decoder = new AnsiDecoder(this);
            _canvas = new Canvas(display);
            Columns = display.Width / ConsoleFont.Width;
            Rows = display.Height / ConsoleFont.Height;
            _input.ScreenSize = (display.Width, display.Height);
            _canvas.Clear(Palette[_decoder.Rendition.Background]);
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
        public (int Column, int Row) Cursor => _decoder.Cursor;

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
                _decoder.Write(bytes);
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
            _decoder.Cursor = (0, 0);
            _cursorShown = false;
            _canvas.Clear(Palette[_decoder.Rendition.Background]);
        }

        void ICharacterGrid.Draw(char c, int column, int row, int foreground, int background) =>
            _canvas.DrawChar(c, Palette[foreground], Palette[background], column * ConsoleFont.Width, row * ConsoleFont.Height);

        // A display that pans pans; on any other every pixel row moves up one text row. The last text row is cleared.
        void ICharacterGrid.ScrollUp(int background)
        {
            ScrolledLines++;
            if (_display is IPanningDisplay panning && panning.VirtualHeight - panning.Height >= ConsoleFont.Height)
            {
                PanUp(panning, Palette[background]);
                return;
            }

            Span<uint> pixels = _display.Pixels;
            int stride = _display.Stride, rowPixels = stride * ConsoleFont.Height;
            int textPixels = Rows * rowPixels;
            pixels.Slice(rowPixels, textPixels - rowPixels).CopyTo(pixels);
            _canvas.Invalidate(0, 0, _display.Width, Rows * ConsoleFont.Height);
            _canvas.FillRectangle(Palette[background], 0, (Rows - 1) * ConsoleFont.Height, _display.Width, ConsoleFont.Height);
        }

        // The screen moves one text row down the taller framebuffer and the new bottom row, below the old screen, is
        // blanked; nothing else moves. At the framebuffer's end the screen's text rows are copied to its top (one copy
        // per VirtualHeight − Height rows of scrolling, not one per line) and the screen pans back there. Rows below the
        // last whole text row (a height that is not a multiple of 16) keep their place on the screen.
        private void PanUp(IPanningDisplay display, uint background)
        {
            int line = ConsoleFont.Height, textHeight = Rows * line, height = display.Height, stride = display.Stride;
            int origin = display.PanOrigin, next = origin + line, changedTop;
            Span<uint> all = display.VirtualPixels;
            (int X, int Y, int Width, int Height)? damage = _canvas.TakeDamage();
            if (next + height <= display.VirtualHeight)
            {
                all.Slice((origin + textHeight) * stride, (height - textHeight) * stride).CopyTo(all[((next + textHeight) * stride)..]);
                changedTop = origin + textHeight;

                // What was drawn since the last flush (the last row's text, the cursor) keeps its framebuffer rows,
                // now one text row higher on the screen: it goes with the new row.
                if (damage is (_, int top, _, _))
                {
                    changedTop = Math.Min(changedTop, Math.Max(next, origin + top));
                }
            }
            else
            {
                all.Slice((origin + line) * stride, (textHeight - line) * stride).CopyTo(all);
                all.Slice((origin + textHeight) * stride, (height - textHeight) * stride).CopyTo(all[(textHeight * stride)..]);
                next = 0;
                changedTop = 0;
            }

            for (int row = next + textHeight - line; row < next + textHeight; row++)
            {
                all.Slice(row * stride, display.Width).Fill(background);
            }

            LastError = display.Pan(next, changedTop, next + height - changedTop) ?? LastError;
        }

        // Erasing reaches the display's edges, past the last whole cell.
        void ICharacterGrid.EraseInDisplay(EraseExtent extent, (int Column, int Row) cursor, int background)
        {
            uint bg = Palette[background];
            int cellTop = cursor.Row * ConsoleFont.Height;
            switch (extent)
            {
                case EraseExtent.ToEnd:
                    EraseInLine(extent, cursor, bg);
                    _canvas.FillRectangle(bg, 0, cellTop + ConsoleFont.Height, _display.Width, _display.Height - cellTop - ConsoleFont.Height);
                    break;
                case EraseExtent.ToStart:
                    EraseInLine(extent, cursor, bg);
                    _canvas.FillRectangle(bg, 0, 0, _display.Width, cellTop);
                    break;
                default:
                    _canvas.FillRectangle(bg, 0, 0, _display.Width, _display.Height);
                    break;
            }
        }

        void ICharacterGrid.EraseInLine(EraseExtent extent, (int Column, int Row) cursor, int background) =>
            EraseInLine(extent, cursor, Palette[background]);

        private void EraseInLine(EraseExtent extent, (int Column, int Row) cursor, uint bg)
        {
            int x = cursor.Column * ConsoleFont.Width, y = cursor.Row * ConsoleFont.Height;
            switch (extent)
            {
                case EraseExtent.ToEnd: _canvas.FillRectangle(bg, x, y, _display.Width - x, ConsoleFont.Height); break;
                case EraseExtent.ToStart: _canvas.FillRectangle(bg, 0, y, x + ConsoleFont.Width, ConsoleFont.Height); break;
                default: _canvas.FillRectangle(bg, 0, y, _display.Width, ConsoleFont.Height); break;
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
