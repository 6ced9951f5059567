using System;
using Cosmos.Core.Boot;
using Cosmos.Core.Memory;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// The VGA text mode the boot loader left (multiboot2 framebuffer tag of type 2, "EGA text": GRUB's
    /// <c>gfxpayload=text</c>, or a BIOS machine where no graphics mode was set): the cell buffer (0xB8000) and the
    /// CRT controller's cursor location registers.
    /// </summary>
    public sealed unsafe class VgaTextDisplay : ITextDisplay
    {
        // VGA CRT controller, colour addressing (Miscellaneous Output bit 0 set, as every BIOS text mode has it):
        // index at 0x3D4, data at 0x3D5. Registers 0Eh/0Fh hold the cursor's cell offset, high byte first.
        private const ushort CrtcIndexPort = 0x3D4;
        private const byte CrtcCursorLocationHigh = 0x0E, CrtcCursorLocationLow = 0x0F;

        private readonly ushort* _cells;
        private readonly IRegisterBlock _crtc;

        private VgaTextDisplay(ushort* cells, int columns, int rows, IRegisterBlock crtc)
        {
            _cells = cells;
            Columns = columns;
            Rows = rows;
            _crtc = crtc;
        }

        /// <summary>The loader's text mode as a display, or null with the reason when the loader left no text mode it describes.</summary>
        public static VgaTextDisplay? TryCreate(FramebufferInfo? info, out string? reason)
        {
            if (info is not FramebufferInfo fb)
            {
                reason = "the boot loader described no display";
                return null;
            }

            // Multiboot2 §3.6.12: type 2 is EGA text; width and height count characters, pitch is in bytes, 16 bits a cell (rows are packed: pitch = 2 × width).
            if (fb.Type != 2)
            {
                reason = $"framebuffer type {fb.Type} is not EGA text";
                return null;
            }

            if (fb.BitsPerPixel != 16 || fb.Width == 0 || fb.Height == 0 || fb.Width > 256 || fb.Height > 256 || fb.Pitch != fb.Width * 2)
            {
                reason = $"EGA text {fb.Width}x{fb.Height}, {fb.BitsPerPixel} bits a cell, pitch {fb.Pitch} is not a text mode this console can use";
                return null;
            }

            nint mapped = Paging.MapMmio(fb.Address, (ulong)fb.Pitch * fb.Height);
            reason = null;
            return new VgaTextDisplay((ushort*)mapped, (int)fb.Width, (int)fb.Height, new PortRegisterBlock(CrtcIndexPort, 2));
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Other;

        /// <inheritdoc />
        public string NameStem => "vgatext";

        /// <inheritdoc />
        public string DriverName => "vga-text";

        /// <inheritdoc />
        public string Transport => $"multiboot2 EGA text {Columns}x{Rows}";

        /// <inheritdoc />
        public InterruptMode InterruptMode => InterruptMode.Polled;

        /// <inheritdoc />
        public int Columns { get; }

        /// <inheritdoc />
        public int Rows { get; }

        /// <inheritdoc />
        public Span<ushort> Cells => new(_cells, Columns * Rows);

        /// <inheritdoc />
        public void MoveCursor(int column, int row)
        {
            int offset = (Math.Clamp(row, 0, Rows - 1) * Columns) + Math.Clamp(column, 0, Columns - 1);
            _crtc.Write8(0, CrtcCursorLocationHigh);
            _crtc.Write8(1, (byte)(offset >> 8));
            _crtc.Write8(0, CrtcCursorLocationLow);
            _crtc.Write8(1, (byte)offset);
        }
    }
}
