using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.System.Tests.Console
{
    /// <summary>A display in memory for the console tests: pixels to read back, every flushed rectangle, no hardware cursor.</summary>
    internal sealed class MemoryDisplay : IDisplayDevice
    {
        private readonly uint[] _pixels;

        public MemoryDisplay(int width, int height)
        {
            Width = width;
            Height = height;
            _pixels = new uint[width * height];
        }

        /// <summary>The rectangles flushed so far, oldest first.</summary>
        public List<(int X, int Y, int W, int H)> Flushes { get; } = new();

        public DeviceClass Class => DeviceClass.Display;

        public string NameStem => "fb";

        public string DriverName => "fake";

        public string Transport => "memory";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public int Width { get; }

        public int Height { get; }

        public int Stride => Width;

        public Span<uint> Pixels => _pixels;

        public bool HasHardwareCursor => false;

        public int CursorSize => 0;

        public string? Flush(int x, int y, int width, int height)
        {
            Flushes.Add((x, y, width, height));
            return null;
        }

        public string? SetCursor(ReadOnlySpan<uint> image, int hotX, int hotY) => throw new NotSupportedException();

        public string? MoveCursor(int x, int y) => throw new NotSupportedException();

        public bool TakeModeChangeRequest() => false;

        public string? ApplyPreferredMode() => null;

        public uint At(int x, int y) => _pixels[(y * Width) + x];

        public uint[] Copy() => (uint[])_pixels.Clone();
    }
}
