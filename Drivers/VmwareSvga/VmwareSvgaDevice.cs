using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VmwareSvga
{
    /// <summary>
    /// The VMware SVGA II adapter (VMware's default display, QEMU's <c>-vga vmware</c>) as a display: SVGA_ID_2
    /// negotiated, a 32-bit X8R8G8B8 mode of the driver's choosing set through WIDTH/HEIGHT/BITS_PER_PIXEL, the
    /// command FIFO set up, and each <see cref="Flush"/> queued as an SVGA_CMD_UPDATE of the rectangle. Everything
    /// the device reports is checked before it is believed (its version, FIFO size, maximum mode, VRAM size, pixel
    /// format, the mode it actually took); a device that lies is reported and not used.
    /// </summary>
    public sealed unsafe class VmwareSvgaDevice : IDisplayDevice
    {
        private const int MaximumSide = 16384;

        private readonly SvgaRegisterPort _registers;
        private readonly SvgaCommandFifo _fifo;
        private readonly Func<ulong, ulong, nint> _mapFramebuffer;
        private readonly ulong _vramAddress, _vramBytes;
        private readonly (int Width, int Height) _preferred;
        private uint* _pixels;
        private string? _broken;

        private VmwareSvgaDevice(SvgaRegisterPort registers, SvgaCommandFifo fifo, Func<ulong, ulong, nint> mapFramebuffer,
            ulong vramAddress, ulong vramBytes, int maxWidth, int maxHeight, (int Width, int Height) preferred, string transport)
        {
            _registers = registers;
            _fifo = fifo;
            _mapFramebuffer = mapFramebuffer;
            _vramAddress = vramAddress;
            _vramBytes = vramBytes;
            MaxWidth = maxWidth;
            MaxHeight = maxHeight;
            _preferred = preferred;
            Transport = transport;
        }

        /// <summary>
        /// Starts the adapter behind <paramref name="ports"/> (BAR0) with its FIFO in <paramref name="fifoMemory"/>
        /// (BAR2) and its VRAM at <paramref name="vramAddress"/> (BAR1, <paramref name="vramWindowBytes"/> long),
        /// in <paramref name="preferred"/> or, when that does not fit, the largest standard mode that does.
        /// <paramref name="mapFramebuffer"/> maps physical memory for the CPU. Null with the reason when the device
        /// cannot be used.
        /// </summary>
        public static VmwareSvgaDevice? Start(IRegisterBlock ports, IRegisterBlock fifoMemory, ulong vramAddress, ulong vramWindowBytes,
            Func<ulong, ulong, nint> mapFramebuffer, (int Width, int Height) preferred, TimeSpan syncTimeout, string transport, out string? error)
        {
            ArgumentNullException.ThrowIfNull(ports);
            ArgumentNullException.ThrowIfNull(fifoMemory);
            ArgumentNullException.ThrowIfNull(mapFramebuffer);
            var registers = new SvgaRegisterPort(ports);

            // SVGA device interface, "Version negotiation": write the newest ID the driver speaks and read it back.
            registers.Write(SvgaRegisters.Id, SvgaRegisters.Id2);
            uint id = registers.Read(SvgaRegisters.Id);
            if (id != SvgaRegisters.Id2)
            {
                error = $"the device does not accept SVGA_ID_2 (SVGA_REG_ID reads 0x{id:x8})";
                return null;
            }

            uint fbStart = registers.Read(SvgaRegisters.FbStart);
            uint vramSize = registers.Read(SvgaRegisters.VramSize);
            uint fifoSize = registers.Read(SvgaRegisters.MemSize);
            uint maxWidth = registers.Read(SvgaRegisters.MaxWidth);
            uint maxHeight = registers.Read(SvgaRegisters.MaxHeight);
            if (fifoSize < SvgaRegisters.FifoCommandsStart + SvgaRegisters.FifoMinimumCommandBytes || fifoSize > fifoMemory.Length || fifoSize % 4 != 0)
            {
                error = $"the device reports a FIFO of {fifoSize} bytes; BAR2 holds {fifoMemory.Length} and the FIFO needs at least {SvgaRegisters.FifoCommandsStart + SvgaRegisters.FifoMinimumCommandBytes}";
                return null;
            }

            if (maxWidth == 0 || maxHeight == 0 || maxWidth > MaximumSide || maxHeight > MaximumSide)
            {
                error = $"the device reports a maximum mode of {maxWidth}x{maxHeight}";
                return null;
            }

            if (vramSize == 0 || vramSize > vramWindowBytes || fbStart != vramAddress)
            {
                error = $"the device reports {vramSize} bytes of VRAM at 0x{fbStart:x}; BAR1 is 0x{vramAddress:x}+0x{vramWindowBytes:x}";
                return null;
            }

            registers.Write(SvgaRegisters.GuestId, SvgaRegisters.GuestOsOther);
            var device = new VmwareSvgaDevice(registers, SvgaCommandFifo.Initialize(fifoMemory, registers, fifoSize, syncTimeout), mapFramebuffer,
                vramAddress, vramSize, (int)maxWidth, (int)maxHeight, preferred, transport);
            error = device.SetMode(preferred.Width, preferred.Height);
            foreach ((int width, int height) in StandardModes)
            {
                if (error == null)
                {
                    break;
                }

                if (width * height < preferred.Width * preferred.Height && device.Fits(width, height))
                {
                    error = device.SetMode(width, height);
                }
            }

            if (error != null)
            {
                return null;
            }

            // The FIFO is ready: CONFIG_DONE, then ENABLE turns the SVGA mode on (the VGA front stops showing).
            registers.Write(SvgaRegisters.ConfigDone, 1);
            registers.Write(SvgaRegisters.Enable, 1);
            error = device.Flush(0, 0, device.Width, device.Height);
            return error == null ? device : null;
        }

        /// <summary>Modes tried, largest first, when the preferred one does not fit the device.</summary>
        private static readonly (int Width, int Height)[] StandardModes = { (1280, 1024), (1280, 800), (1024, 768), (800, 600), (640, 480) };

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Display;

        /// <inheritdoc />
        public string NameStem => "fb";

        /// <inheritdoc />
        public string DriverName => "vmware-svga";

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => InterruptMode.Polled;

        /// <inheritdoc />
        public int Width { get; private set; }

        /// <inheritdoc />
        public int Height { get; private set; }

        /// <inheritdoc />
        public int Stride { get; private set; }

        /// <summary>The largest mode the device accepts.</summary>
        public int MaxWidth { get; }

        /// <summary>The largest mode the device accepts.</summary>
        public int MaxHeight { get; }

        /// <summary>VRAM bytes the device reports.</summary>
        public ulong VramBytes => _vramBytes;

        /// <summary>Bytes of the command ring.</summary>
        public uint FifoCommandBytes => _fifo.CommandBytes;

        /// <summary>Times a flush found the FIFO full and had the device catch up first.</summary>
        public int FifoSyncs => _fifo.Syncs;

        /// <inheritdoc />
        public Span<uint> Pixels => _pixels == null ? Span<uint>.Empty : new Span<uint>(_pixels, Stride * Height);

        /// <inheritdoc />
        public bool HasHardwareCursor => false;

        /// <inheritdoc />
        public int CursorSize => 0;

        /// <summary>A line for the boot log.</summary>
        public string Summary => $"{Width}x{Height} (max {MaxWidth}x{MaxHeight}), {_vramBytes >> 20} MiB VRAM, {_fifo.CommandBytes >> 10} KiB FIFO";

        /// <summary>
        /// Sets a <paramref name="width"/> × <paramref name="height"/> 32-bit mode; <see cref="Pixels"/> is then the new
        /// framebuffer (contents undefined until drawn). Null when done, else why not (the mode is larger than the
        /// device's maximum or its VRAM, or the device did not take it); the old mode then stays.
        /// </summary>
        public string? SetMode(int width, int height)
        {
            if (_broken != null)
            {
                return _broken;
            }

            if (width <= 0 || height <= 0 || width > MaxWidth || height > MaxHeight)
            {
                return $"{width}x{height} is outside the device's 1x1..{MaxWidth}x{MaxHeight}";
            }

            if (!Fits(width, height))
            {
                return $"{width}x{height} at 32 bpp needs more than the device's {_vramBytes} bytes of VRAM";
            }

            _registers.Write(SvgaRegisters.Width, (uint)width);
            _registers.Write(SvgaRegisters.Height, (uint)height);
            _registers.Write(SvgaRegisters.BitsPerPixel, 32);
            uint tookWidth = _registers.Read(SvgaRegisters.Width), tookHeight = _registers.Read(SvgaRegisters.Height);
            uint bpp = _registers.Read(SvgaRegisters.BitsPerPixel);
            uint pitch = _registers.Read(SvgaRegisters.BytesPerLine), offset = _registers.Read(SvgaRegisters.FbOffset);
            uint red = _registers.Read(SvgaRegisters.RedMask), green = _registers.Read(SvgaRegisters.GreenMask), blue = _registers.Read(SvgaRegisters.BlueMask);
            if (tookWidth != width || tookHeight != height || bpp != 32)
            {
                return $"asked for {width}x{height}x32, the device reports {tookWidth}x{tookHeight}x{bpp}";
            }

            if (red != 0xFF0000 || green != 0xFF00 || blue != 0xFF)
            {
                return $"the device's 32-bit format has masks red 0x{red:x}, green 0x{green:x}, blue 0x{blue:x}, not X8R8G8B8";
            }

            if (pitch < width * 4u || pitch % 4 != 0 || offset % 4 != 0 || offset + ((ulong)pitch * (ulong)height) > _vramBytes)
            {
                return $"the device reports {pitch} bytes per line at VRAM offset 0x{offset:x} for {width}x{height} in {_vramBytes} bytes of VRAM";
            }

            _pixels = (uint*)_mapFramebuffer(_vramAddress + offset, (ulong)pitch * (ulong)height);
            Width = width;
            Height = height;
            Stride = (int)(pitch / 4);
            return null;
        }

        /// <inheritdoc />
        public string? Flush(int x, int y, int width, int height)
        {
            if (_broken != null)
            {
                return _broken;
            }

            int left = Math.Max(0, x), top = Math.Max(0, y);
            int right = (int)Math.Min((long)Width, (long)x + width), bottom = (int)Math.Min((long)Height, (long)y + height);
            if (right <= left || bottom <= top)
            {
                return null;
            }

            Span<uint> update = stackalloc uint[] { SvgaRegisters.CmdUpdate, (uint)left, (uint)top, (uint)(right - left), (uint)(bottom - top) };
            string? error = _fifo.Write(update);
            if (error != null)
            {
                _broken = "[svga] " + error + "; the display is no longer updated";
            }

            return _broken;
        }

        /// <inheritdoc />
        public string? SetCursor(ReadOnlySpan<uint> image, int hotX, int hotY) => throw new NotSupportedException("the SVGA driver draws no hardware cursor yet");

        /// <inheritdoc />
        public string? MoveCursor(int x, int y) => throw new NotSupportedException("the SVGA driver draws no hardware cursor yet");

        /// <inheritdoc />
        public bool TakeModeChangeRequest() => false;

        /// <inheritdoc />
        public string? ApplyPreferredMode() => SetMode(_preferred.Width, _preferred.Height);

        private bool Fits(int width, int height) =>
            width <= MaxWidth && height <= MaxHeight && (ulong)width * (ulong)height * 4 <= _vramBytes;
    }
}
