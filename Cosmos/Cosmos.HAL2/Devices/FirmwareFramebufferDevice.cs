using System;
using Cosmos.Core.Boot;
using Cosmos.Core.Memory;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// The framebuffer the boot loader set up (multiboot2 tag 8, GRUB's gfxpayload) as a display, for machines
    /// without a GPU driver: direct-colour 32 bits per pixel only. Drawing is already visible; <see cref="Flush"/>
    /// has nothing to do, there is no hardware cursor and the mode never changes.
    /// </summary>
    public sealed unsafe class FirmwareFramebufferDevice : IDisplayDevice
    {
        private readonly uint* _pixels;

        private FirmwareFramebufferDevice(uint* pixels, int width, int height, int stride)
        {
            _pixels = pixels;
            Width = width;
            Height = height;
            Stride = stride;
        }

        /// <summary>The loader's framebuffer mapped as a display, or null with the reason when there is none it can use.</summary>
        public static FirmwareFramebufferDevice? TryCreate(FramebufferInfo? info, out string? reason)
        {
            if (info is not FramebufferInfo fb)
            {
                reason = "the boot loader set up no framebuffer";
                return null;
            }

            // Multiboot2 §3.6.12: type 1 is direct RGB colour.
            if (fb.Type != 1 || fb.BitsPerPixel != 32 || fb.Pitch % 4 != 0 || fb.Width == 0 || fb.Height == 0 || fb.Pitch / 4 < fb.Width)
            {
                reason = $"framebuffer type {fb.Type}, {fb.BitsPerPixel} bpp, {fb.Width}x{fb.Height} pitch {fb.Pitch} is not 32-bit direct colour";
                return null;
            }

            nint mapped = Paging.MapMmio(fb.Address, (ulong)fb.Pitch * fb.Height);
            reason = null;
            return new FirmwareFramebufferDevice((uint*)mapped, (int)fb.Width, (int)fb.Height, (int)(fb.Pitch / 4));
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Display;

        /// <inheritdoc />
        public string NameStem => "fb";

        /// <inheritdoc />
        public string DriverName => "firmware-fb";

        /// <inheritdoc />
        public string Transport => "multiboot2 framebuffer";

        /// <inheritdoc />
        public InterruptMode InterruptMode => InterruptMode.Polled;

        /// <inheritdoc />
        public int Width { get; }

        /// <inheritdoc />
        public int Height { get; }

        /// <inheritdoc />
        public int Stride { get; }

        /// <inheritdoc />
        public Span<uint> Pixels => new(_pixels, Stride * Height);

        /// <inheritdoc />
        public bool HasHardwareCursor => false;

        /// <inheritdoc />
        public int CursorSize => 0;

        /// <inheritdoc />
        public string? Flush(int x, int y, int width, int height) => null;

        /// <inheritdoc />
        public string? SetCursor(ReadOnlySpan<uint> image, int hotX, int hotY) => throw new NotSupportedException("the firmware framebuffer has no hardware cursor");

        /// <inheritdoc />
        public string? MoveCursor(int x, int y) => throw new NotSupportedException("the firmware framebuffer has no hardware cursor");

        /// <inheritdoc />
        public bool TakeModeChangeRequest() => false;

        /// <inheritdoc />
        public string? ApplyPreferredMode() => null;
    }
}
