using System;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Graphics
{
    /// <summary>
    /// Cosmos-style drawing on a display: pixels, lines, rectangles, text in the console font and images.
    /// Drawing changes the framebuffer and widens a damaged rectangle; <see cref="Display"/> shows it.
    /// Colours are 0xRRGGBB. Everything is clipped to the screen.
    /// </summary>
    public sealed class Canvas
    {
        private readonly IDisplayDevice _display;
        private int _damageLeft = int.MaxValue, _damageTop = int.MaxValue, _damageRight, _damageBottom;

        /// <summary>A canvas over <paramref name="display"/>.</summary>
        public Canvas(IDisplayDevice display)
        {
            ArgumentNullException.ThrowIfNull(display);
            _display = display;
        }

        /// <summary>Width of the screen in pixels.</summary>
        public int Width => _display.Width;

        /// <summary>Height of the screen in pixels.</summary>
        public int Height => _display.Height;

        /// <summary>Fills the screen with <paramref name="color"/>.</summary>
        public void Clear(uint color = 0) => FillRectangle(color, 0, 0, Width, Height);

        /// <summary>Sets one pixel.</summary>
        public void DrawPoint(uint color, int x, int y)
        {
            if ((uint)x < (uint)Width && (uint)y < (uint)Height)
            {
                _display.Pixels[(y * _display.Stride) + x] = color & 0xFFFFFF;
                Damage(x, y, 1, 1);
            }
        }

        /// <summary>The colour of one pixel (0 outside the screen).</summary>
        public uint GetPoint(int x, int y) =>
            (uint)x < (uint)Width && (uint)y < (uint)Height ? _display.Pixels[(y * _display.Stride) + x] & 0xFFFFFF : 0;

        /// <summary>A line from (x0, y0) to (x1, y1), both ends included (Bresenham).</summary>
        public void DrawLine(uint color, int x0, int y0, int x1, int y1)
        {
            int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
            int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, error = dx + dy;
            while (true)
            {
                DrawPoint(color, x0, y0);
                if (x0 == x1 && y0 == y1)
                {
                    return;
                }

                int twice = 2 * error;
                if (twice >= dy)
                {
                    error += dy;
                    x0 += sx;
                }

                if (twice <= dx)
                {
                    error += dx;
                    y0 += sy;
                }
            }
        }

        /// <summary>The outline of a rectangle.</summary>
        public void DrawRectangle(uint color, int x, int y, int width, int height)
        {
            if (width <= 0 || height <= 0)
            {
                return;
            }

            FillRectangle(color, x, y, width, 1);
            FillRectangle(color, x, y + height - 1, width, 1);
            FillRectangle(color, x, y, 1, height);
            FillRectangle(color, x + width - 1, y, 1, height);
        }

        /// <summary>A filled rectangle.</summary>
        public void FillRectangle(uint color, int x, int y, int width, int height)
        {
            int left = Math.Max(x, 0), top = Math.Max(y, 0);
            int right = Math.Min(x + width, Width), bottom = Math.Min(y + height, Height);
            if (right <= left || bottom <= top)
            {
                return;
            }

            Span<uint> pixels = _display.Pixels;
            for (int row = top; row < bottom; row++)
            {
                pixels.Slice((row * _display.Stride) + left, right - left).Fill(color & 0xFFFFFF);
            }

            Damage(left, top, right - left, bottom - top);
        }

        /// <summary>Text in the console font with its top-left corner at (x, y); the background stays.</summary>
        public void DrawString(string text, uint color, int x, int y)
        {
            ArgumentNullException.ThrowIfNull(text);
            foreach (char c in text)
            {
                DrawChar(c, color, null, x, y);
                x += ConsoleFont.Width;
            }
        }

        /// <summary>One character cell; with <paramref name="background"/> the cell is filled first.</summary>
        public void DrawChar(char c, uint color, uint? background, int x, int y)
        {
            ReadOnlySpan<byte> glyph = ConsoleFont.Glyph(c);
            Span<uint> pixels = _display.Pixels;
            int stride = _display.Stride;
            for (int row = 0; row < ConsoleFont.Height; row++)
            {
                int py = y + row;
                if ((uint)py >= (uint)Height)
                {
                    continue;
                }

                byte bits = glyph[row];
                for (int column = 0; column < ConsoleFont.Width; column++)
                {
                    int px = x + column;
                    if ((uint)px >= (uint)Width)
                    {
                        continue;
                    }

                    if ((bits & (0x80 >> column)) != 0)
                    {
                        pixels[(py * stride) + px] = color & 0xFFFFFF;
                    }
                    else if (background.HasValue)
                    {
                        pixels[(py * stride) + px] = background.Value & 0xFFFFFF;
                    }
                }
            }

            Damage(x, y, ConsoleFont.Width, ConsoleFont.Height);
        }

        /// <summary>An image with its top-left corner at (x, y); pixels with alpha 0 are skipped.</summary>
        public void DrawImage(Bitmap image, int x, int y)
        {
            ArgumentNullException.ThrowIfNull(image);
            Span<uint> pixels = _display.Pixels;
            for (int row = 0; row < image.Height; row++)
            {
                int py = y + row;
                if ((uint)py >= (uint)Height)
                {
                    continue;
                }

                for (int column = 0; column < image.Width; column++)
                {
                    int px = x + column;
                    uint p = image.Pixels[(row * image.Width) + column];
                    if ((uint)px < (uint)Width && (p >> 24) != 0)
                    {
                        pixels[(py * _display.Stride) + px] = p & 0xFFFFFF;
                    }
                }
            }

            Damage(x, y, image.Width, image.Height);
        }

        /// <summary>Shows what was drawn since the last call (only the damaged rectangle). Null when done, else the display's error.</summary>
        public string? Display()
        {
            if (_damageRight <= _damageLeft || _damageBottom <= _damageTop)
            {
                return null;
            }

            string? error = _display.Flush(_damageLeft, _damageTop, _damageRight - _damageLeft, _damageBottom - _damageTop);
            _damageLeft = _damageTop = int.MaxValue;
            _damageRight = _damageBottom = 0;
            return error;
        }

        /// <summary>Forgets damage recorded for the previous mode (call after the display changed mode).</summary>
        public void Resize()
        {
            _damageLeft = _damageTop = int.MaxValue;
            _damageRight = _damageBottom = 0;
        }

        /// <summary>Marks a rectangle changed behind the canvas's back (direct framebuffer writes) so <see cref="Display"/> shows it.</summary>
        public void Invalidate(int x, int y, int width, int height) => Damage(x, y, width, height);

        /// <summary>The damaged rectangle (null when nothing changed), forgotten: the caller shows it some other way.</summary>
        internal (int X, int Y, int Width, int Height)? TakeDamage()
        {
            (int, int, int, int)? damage = _damageRight <= _damageLeft || _damageBottom <= _damageTop
                ? null
                : (_damageLeft, _damageTop, _damageRight - _damageLeft, _damageBottom - _damageTop);
            Resize();
            return damage;
        }

        private void Damage(int x, int y, int width, int height)
        {
            _damageLeft = Math.Max(0, Math.Min(_damageLeft, x));
            _damageTop = Math.Max(0, Math.Min(_damageTop, y));
            _damageRight = Math.Min(Width, Math.Max(_damageRight, x + width));
            _damageBottom = Math.Min(Height, Math.Max(_damageBottom, y + height));
        }
    }
}
