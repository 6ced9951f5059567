using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.System.Tests.Console
{
    /// <summary>
    /// A panning display in memory, kept as virtio-gpu keeps one: the framebuffer the kernel draws into, the
    /// device's own copy that only <see cref="Flush"/> and <see cref="Pan"/> update (TRANSFER_TO_HOST_2D), and the
    /// screen a window of that copy from <see cref="PanOrigin"/> (SET_SCANOUT). <see cref="Shown"/> is what a
    /// screendump would see, so a row the console forgot to send shows stale.
    /// </summary>
    internal sealed class PanningMemoryDisplay : IPanningDisplay
    {
        private readonly uint[] _framebuffer;
        private readonly uint[] _device;

        public PanningMemoryDisplay(int width, int height, int virtualHeight, bool hardwareCursor = false)
        {
            Width = width;
            Height = height;
            VirtualHeight = virtualHeight;
            HasHardwareCursor = hardwareCursor;
            _framebuffer = new uint[width * virtualHeight];
            _device = new uint[width * virtualHeight];
        }

        /// <summary>Every pan: the new origin and the rows sent with it.</summary>
        public List<(int Origin, int ChangedTop, int ChangedRows)> Pans { get; } = new();

        /// <summary>The rectangles flushed so far (screen coordinates), oldest first.</summary>
        public List<(int X, int Y, int W, int H)> Flushes { get; } = new();

        /// <summary>Framebuffer rows sent to the device so far (flushes and pans).</summary>
        public long RowsSent { get; private set; }

        public DeviceClass Class => DeviceClass.Display;

        public string NameStem => "fb";

        public string DriverName => "fake-panning";

        public string Transport => "memory";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public int Width { get; }

        public int Height { get; }

        public int Stride => Width;

        public int VirtualHeight { get; }

        public int PanOrigin { get; private set; }

        public Span<uint> Pixels => _framebuffer.AsSpan(PanOrigin * Stride, Height * Stride);

        public Span<uint> VirtualPixels => _framebuffer;

        public bool HasHardwareCursor { get; }

        public int CursorSize => HasHardwareCursor ? 64 : 0;

        public (int X, int Y) CursorPosition { get; private set; }

        public string? Flush(int x, int y, int width, int height)
        {
            Flushes.Add((x, y, width, height));
            int right = Math.Min(x + width, Width), bottom = Math.Min(y + height, Height);
            x = Math.Max(x, 0);
            y = Math.Max(y, 0);
            for (int row = y; row < bottom; row++)
            {
                int at = ((PanOrigin + row) * Stride) + x;
                _framebuffer.AsSpan(at, right - x).CopyTo(_device.AsSpan(at));
            }

            RowsSent += Math.Max(0, bottom - y);
            return null;
        }

        public string? Pan(int origin, int changedTop, int changedRows)
        {
            if (origin < 0 || origin > VirtualHeight - Height)
            {
                throw new ArgumentOutOfRangeException(nameof(origin));
            }

            if (changedRows < 0 || changedTop < 0 || changedTop > VirtualHeight - changedRows)
            {
                throw new ArgumentOutOfRangeException(nameof(changedRows));
            }

            Pans.Add((origin, changedTop, changedRows));
            _framebuffer.AsSpan(changedTop * Stride, changedRows * Stride).CopyTo(_device.AsSpan(changedTop * Stride));
            RowsSent += changedRows;
            PanOrigin = origin;
            return null;
        }

        public string? SetCursor(ReadOnlySpan<uint> image, int hotX, int hotY) =>
            HasHardwareCursor ? null : throw new NotSupportedException();

        public string? MoveCursor(int x, int y)
        {
            if (!HasHardwareCursor)
            {
                throw new NotSupportedException();
            }

            CursorPosition = (x, y);
            return null;
        }

        public bool TakeModeChangeRequest() => false;

        public string? ApplyPreferredMode() => null;

        /// <summary>The pixel at (x, y) of the screen as the device shows it.</summary>
        public uint Shown(int x, int y) => _device[((PanOrigin + y) * Stride) + x];

        /// <summary>The whole screen as the device shows it, row by row.</summary>
        public uint[] ShownScreen() => _device.AsSpan(PanOrigin * Stride, Height * Stride).ToArray();
    }
}
