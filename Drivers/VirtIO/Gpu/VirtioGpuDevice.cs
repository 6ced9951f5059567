using System;
using System.Buffers.Binary;
using System.Threading;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Gpu.VirtioGpuRegisters;
using Rect = Cosmos.Drivers.VirtIO.Gpu.VirtioGpuCommands.Rect;

namespace Cosmos.Drivers.VirtIO.Gpu
{
    /// <summary>
    /// A virtio-gpu display in 2D mode (VirtIO 1.2 §5.7), as virtio-gpu-pci, virtio-vga or an MMIO device.
    /// The preferred mode comes from EDID when the device offers it, else from GET_DISPLAY_INFO; the
    /// framebuffer is one physically contiguous B8G8R8X8 buffer up to <see cref="PanScreens"/> screens high, and
    /// scanout 0 shows a resource of one screen whose backing is the screen's rows of it from <see cref="PanOrigin"/>
    /// on (<see cref="IPanningDisplay"/>: a console scrolls by moving the origin, <see cref="Pan"/> moves the
    /// backing). <see cref="Flush"/> moves only the damaged rectangle to the host (TRANSFER_TO_HOST_2D) and
    /// flushes it with a fence, so it is on screen when the call returns. The cursor is a 64×64 resource
    /// driven through the cursor queue. Display-change events (config events_read) are noticed and cleared.
    /// Commands are serialised by a lock; an error response or a silent device gives a sentence, never a hang.
    /// </summary>
    public sealed class VirtioGpuDevice : IPanningDisplay
    {
        /// <summary>The mode used when the device reports none.</summary>
        public const int DefaultWidth = 1024, DefaultHeight = 768;

        /// <summary>
        /// Screens of framebuffer memory at most: a console scrolling line by line pans over PanScreens − 1 screens
        /// before it copies the screen back to the top once. Fewer when they would pass <see cref="PanBytes"/> (but two
        /// when they fit), or when the DMA memory is not there; with one the display cannot pan.
        /// </summary>
        public const int PanScreens = 4;

        /// <summary>The framebuffer memory beyond which fewer than <see cref="PanScreens"/> screens are taken (32 MiB).</summary>
        public const long PanBytes = 32L << 20;

        private const uint FramebufferResourceBase = 1;
        private const uint CursorResource = 0x100;

        private readonly VirtioDeviceInitializer _device;
        private readonly IDmaAllocator _dma;
        private readonly VirtioGpuControlChannel _control;
        private readonly VirtioGpuControlChannel _cursor;
        private readonly Lock _gate = new();
        private DmaBuffer _framebuffer;
        private DmaBuffer _cursorImage;
        private uint _resource;
        private int _virtualHeight;
        private int _origin;
        private uint _nextResource = FramebufferResourceBase;
        private int _configChanges;
        private int _configChangesSeen;

        private VirtioGpuDevice(VirtioDeviceInitializer device, IDmaAllocator dma, ICompletionWaiter waiter)
        {
            _device = device;
            _dma = dma;
            bool interrupts = device.InterruptMode != InterruptMode.Polled;
            _control = new VirtioGpuControlChannel(device.Queues[ControlQueue], dma, waiter, interrupts);
            _cursor = new VirtioGpuControlChannel(device.Queues[CursorQueue], dma, waiter, interrupts);
            Transport = device.Transport.Describe();
            HasEdid = device.Has(FeatureEdid);
            ScanoutCount = (int)Math.Min(device.Transport.ReadConfig32(ConfigNumScanouts), MaxScanouts);
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Display;

        /// <inheritdoc />
        public string NameStem => "fb";

        /// <inheritdoc />
        public string DriverName => "virtio-gpu";

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => _device.InterruptMode;

        /// <summary>True when EDID was negotiated.</summary>
        public bool HasEdid { get; }

        /// <summary>Scanouts the configuration reports (at most 16).</summary>
        public int ScanoutCount { get; }

        /// <summary>The mode in use and where it came from.</summary>
        public VirtioGpuDisplayMode Mode { get; private set; } = new(0, 0, 0, "none");

        /// <inheritdoc />
        public int Width => Mode.Width;

        /// <inheritdoc />
        public int Height => Mode.Height;

        /// <inheritdoc />
        public int Stride => Mode.Width;

        /// <inheritdoc />
        public unsafe Span<uint> Pixels => new((void*)(_framebuffer.Address + ((nint)_origin * Stride * 4)), Mode.Width * Mode.Height);

        /// <inheritdoc />
        public int VirtualHeight => _virtualHeight;

        /// <inheritdoc />
        public int PanOrigin => _origin;

        /// <inheritdoc />
        public unsafe Span<uint> VirtualPixels => new((void*)_framebuffer.Address, Stride * _virtualHeight);

        /// <inheritdoc />
        public bool HasHardwareCursor => true;

        /// <inheritdoc />
        public int CursorSize => VirtioGpuRegisters.CursorSize;

        /// <summary>Commands the device completed on the control queue.</summary>
        public long CommandCount => _control.Commands;

        /// <summary>How long one command may take before the device is given up (default 5 s).</summary>
        public TimeSpan CommandTimeout
        {
            get => _control.Timeout;
            set
            {
                _control.Timeout = value;
                _cursor.Timeout = value;
            }
        }

        /// <summary>"[virtio-gpu] fb0: 1280x800 (edid), scanouts 1".</summary>
        public string Summary(string name) => $"[virtio-gpu] {name}: {Width}x{Height} ({Mode.Source}), scanouts {ScanoutCount}{(HasEdid ? ", edid" : "")}";

        /// <summary>
        /// Brings the device up (§5.7.5): EDID negotiated when offered, the control and cursor queues, DRIVER_OK,
        /// then the preferred mode's framebuffer set as scanout 0's source and shown once. An error names the
        /// failing step (a command's ERR_* response included).
        /// </summary>
        public static VirtioResult<VirtioGpuDevice> Start(IVirtioTransport transport, IDmaAllocator dma, ICompletionWaiter waiter, TimeSpan? commandTimeout = null)
        {
            ArgumentNullException.ThrowIfNull(transport);
            ArgumentNullException.ThrowIfNull(dma);
            ArgumentNullException.ThrowIfNull(waiter);
            var device = new VirtioDeviceInitializer(transport, dma, "virtio-gpu");
            VirtioResult step = device.NegotiateFeatures(FeatureEdid);
            if (step.IsSuccess && transport.QueueCount < 2)
            {
                step = device.Fail($"virtio-gpu: device has {transport.QueueCount} queues, a control and a cursor queue are needed");
            }

            if (step.IsSuccess && transport.ConfigLength < ConfigLength)
            {
                step = device.Fail($"virtio-gpu: configuration is {transport.ConfigLength} bytes, {ConfigLength} are needed");
            }

            if (step.IsSuccess)
            {
                step = device.EnableInterrupts(2);
            }

            if (step.IsSuccess)
            {
                step = device.CreateQueue(ControlQueue, 64, 2).WithoutValue();
            }

            if (step.IsSuccess)
            {
                step = device.CreateQueue(CursorQueue, 16, 2).WithoutValue();
            }

            if (!step.IsSuccess)
            {
                return VirtioResult<VirtioGpuDevice>.Failure(step.Error!);
            }

            VirtioGpuDevice gpu;
            try
            {
                gpu = new VirtioGpuDevice(device, dma, waiter);
            }
            catch (OutOfMemoryException)
            {
                return VirtioResult<VirtioGpuDevice>.Failure(device.Fail("virtio-gpu: no DMA memory for the command buffers").Error!);
            }
            catch (VirtioDeviceException error)
            {
                return VirtioResult<VirtioGpuDevice>.Failure(device.Fail($"virtio-gpu: configuration unreadable: {error.Message}").Error!);
            }

            if (commandTimeout.HasValue)
            {
                gpu.CommandTimeout = commandTimeout.Value;
            }

            device.ConfigChanged = gpu.OnConfigChanged;
            step = device.Finish();
            if (!step.IsSuccess)
            {
                return VirtioResult<VirtioGpuDevice>.Failure(step.Error!);
            }

            string? error2 = gpu.ApplyPreferredMode();
            if (error2 is not null)
            {
                return VirtioResult<VirtioGpuDevice>.Failure(device.Fail(error2).Error!);
            }

            return VirtioResult<VirtioGpuDevice>.Success(gpu);
        }

        /// <summary>
        /// The mode scanout 0 (or the first enabled scanout) prefers: EDID's preferred timing when EDID was
        /// negotiated and valid, else GET_DISPLAY_INFO's rectangle, else <see cref="DefaultWidth"/>×<see cref="DefaultHeight"/>.
        /// </summary>
        public VirtioResult<VirtioGpuDisplayMode> QueryPreferredMode()
        {
            lock (_gate)
            {
                return QueryPreferredModeLocked();
            }
        }

        /// <inheritdoc />
        public string? ApplyPreferredMode()
        {
            lock (_gate)
            {
                VirtioResult<VirtioGpuDisplayMode> mode = QueryPreferredModeLocked();
                return mode.IsSuccess ? SetModeLocked(mode.Value) : mode.Error;
            }
        }

        /// <summary>Switches to <paramref name="width"/>×<paramref name="height"/> on scanout 0 (a new framebuffer). Null when done, else what failed.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A size below 1 or above 16384.</exception>
        public string? SetMode(int width, int height)
        {
            if (width < 1 || height < 1 || width > 16384 || height > 16384)
            {
                throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is not a mode");
            }

            lock (_gate)
            {
                return SetModeLocked(new VirtioGpuDisplayMode(Mode.Scanout, width, height, "set"));
            }
        }

        /// <inheritdoc />
        public string? Flush(int x, int y, int width, int height)
        {
            // Clip to the mode; nothing left means nothing to send.
            int right = Math.Min(x + width, Width), bottom = Math.Min(y + height, Height);
            x = Math.Max(x, 0);
            y = Math.Max(y, 0);
            if (right <= x || bottom <= y)
            {
                return null;
            }

            lock (_gate)
            {
                // The resource is the screen: its backing starts at the framebuffer's row _origin.
                var rect = new Rect((uint)x, (uint)y, (uint)(right - x), (uint)(bottom - y));
                string? error = Transfer(rect);
                return error ?? Run(VirtioGpuCommands.ResourceFlush(_control.Request, rect, _resource, _control.NextFence()), RespOkNoData, HeaderLength);
            }
        }

        /// <inheritdoc />
        public string? Pan(int origin, int changedTop, int changedRows)
        {
            lock (_gate)
            {
                if (origin < 0 || origin > _virtualHeight - Height)
                {
                    throw new ArgumentOutOfRangeException(nameof(origin), origin, $"a {Height}-row screen starting there leaves the {_virtualHeight}-row framebuffer");
                }

                if (changedRows < 0 || changedTop < 0 || changedTop > _virtualHeight - changedRows)
                {
                    throw new ArgumentOutOfRangeException(nameof(changedRows), changedRows, $"rows {changedTop}+{changedRows} are not inside the {_virtualHeight}-row framebuffer");
                }

                // The resource stays one screen; its backing moves to the framebuffer's row `origin` (§5.7.6.8: DETACH_BACKING,
                // ATTACH_BACKING) and the whole screen is sent and flushed. A transfer of the whole resource from offset 0
                // is one copy in QEMU; a resource taller than the screen with SET_SCANOUT panning made QEMU 7.2 copy the
                // whole tall resource for every full-width transfer from its top, or row by row everywhere else
                // (full-screen flushes fell from 2,300–4,000/s to 340–1,600/s). Every row is sent, so changedTop and
                // changedRows need no transfer of their own.
                if (origin == _origin && changedRows == 0)
                {
                    return null;
                }

                string? error = origin == _origin ? null : Rebase(origin);
                if (error is not null)
                {
                    return error;
                }

                var screen = new Rect(0, 0, (uint)Width, (uint)Height);
                return Transfer(screen)
                    ?? Run(VirtioGpuCommands.ResourceFlush(_control.Request, screen, _resource, _control.NextFence()), RespOkNoData, HeaderLength);
            }
        }

        /// <inheritdoc />
        public string? SetCursor(ReadOnlySpan<uint> image, int hotX, int hotY)
        {
            if (image.Length != CursorSize * CursorSize)
            {
                throw new ArgumentException($"a cursor image is {CursorSize}x{CursorSize} pixels, not {image.Length}", nameof(image));
            }

            lock (_gate)
            {
                string? error = null;
                if (_cursorImage.IsEmpty)
                {
                    _cursorImage = _dma.Allocate(CursorSize * CursorSize * 4, 4096);
                    error = Run(VirtioGpuCommands.ResourceCreate2D(_control.Request, CursorResource, FormatB8G8R8A8, (uint)CursorSize, (uint)CursorSize), RespOkNoData, HeaderLength)
                        ?? Run(VirtioGpuCommands.AttachBacking(_control.Request, CursorResource, _cursorImage.PhysicalAddress, (uint)_cursorImage.Length), RespOkNoData, HeaderLength);
                }

                for (int i = 0; i < image.Length; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(_cursorImage.Span[(i * 4)..], image[i]);
                }

                error ??= Run(VirtioGpuCommands.TransferToHost2D(_control.Request, new Rect(0, 0, (uint)CursorSize, (uint)CursorSize), 0, CursorResource), RespOkNoData, HeaderLength);
                if (error is not null)
                {
                    return error;
                }

                // §5.7.6.9: the cursor queue has no responses; the used buffer only returns the request.
                int length = VirtioGpuCommands.Cursor(_cursor.Request, CmdUpdateCursor, (uint)Mode.Scanout, 0, 0, CursorResource, (uint)hotX, (uint)hotY);
                return _cursor.Execute(length, 0, 0);
            }
        }

        /// <inheritdoc />
        public string? MoveCursor(int x, int y)
        {
            lock (_gate)
            {
                int length = VirtioGpuCommands.Cursor(_cursor.Request, CmdMoveCursor, (uint)Mode.Scanout, (uint)Math.Max(x, 0), (uint)Math.Max(y, 0), CursorResource, 0, 0);
                return _cursor.Execute(length, 0, 0);
            }
        }

        /// <inheritdoc />
        public bool TakeModeChangeRequest()
        {
            int changes = Volatile.Read(ref _configChanges);
            if (changes == _configChangesSeen && _device.InterruptMode != InterruptMode.Polled)
            {
                return false;
            }

            _configChangesSeen = changes;
            uint events;
            try
            {
                events = _device.Transport.ReadConfig32(ConfigEventsRead);
            }
            catch (VirtioDeviceException)
            {
                return false;
            }

            if ((events & EventDisplay) == 0)
            {
                return false;
            }

            // §5.7.4.1: the driver acknowledges by writing the bits it handled to events_clear.
            _device.Transport.WriteConfig32(ConfigEventsClear, events & EventDisplay);
            return true;
        }

        // Interrupt context: count only; TakeModeChangeRequest reads the configuration on the caller's thread.
        private void OnConfigChanged() => Interlocked.Increment(ref _configChanges);

        private string? Run(int requestLength, uint expectedType, int expectedLength) => _control.Execute(requestLength, expectedType, expectedLength);

        // §5.7.6.8: the transfer's offset is the rectangle's first byte in the backing.
        private string? Transfer(Rect rect)
        {
            ulong offset = (((ulong)rect.Y * (ulong)Stride) + rect.X) * 4;
            return Run(VirtioGpuCommands.TransferToHost2D(_control.Request, rect, offset, _resource), RespOkNoData, HeaderLength);
        }

        private VirtioResult<VirtioGpuDisplayMode> QueryPreferredModeLocked()
        {
            string? error = Run(VirtioGpuCommands.GetDisplayInfo(_control.Request), RespOkDisplayInfo, DisplayInfoLength);
            if (error is not null)
            {
                return VirtioResult<VirtioGpuDisplayMode>.Failure(error);
            }

            int scanout = 0, width = 0, height = 0;
            ReadOnlySpan<byte> info = _control.Response;
            for (int i = 0; i < Math.Max(1, ScanoutCount); i++)
            {
                ReadOnlySpan<byte> one = info.Slice(HeaderLength + (i * DisplayOneLength), DisplayOneLength);
                if (BinaryPrimitives.ReadUInt32LittleEndian(one[16..]) != 0)
                {
                    scanout = i;
                    width = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(one[8..]), 16384u);
                    height = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(one[12..]), 16384u);
                    break;
                }
            }

            string source = "display-info";
            if (HasEdid)
            {
                error = Run(VirtioGpuCommands.GetEdid(_control.Request, (uint)scanout), RespOkEdid, EdidResponseLength);
                if (error is null)
                {
                    uint size = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(_control.Response[HeaderLength..]), MaxEdidLength);
                    if (EdidPreferredMode.TryRead(_control.Response.Slice(HeaderLength + 8, (int)size), out int edidWidth, out int edidHeight, out _)
                        && edidWidth <= 16384 && edidHeight <= 16384)
                    {
                        (width, height, source) = (edidWidth, edidHeight, "edid");
                    }
                }
            }

            if (width == 0 || height == 0)
            {
                (width, height, source) = (DefaultWidth, DefaultHeight, "default");
            }

            return VirtioResult<VirtioGpuDisplayMode>.Success(new VirtioGpuDisplayMode(scanout, width, height, source));
        }

        // A new resource with its own backing becomes the scanout's source; the old one is released after.
        private string? SetModeLocked(VirtioGpuDisplayMode mode)
        {
            if (mode == Mode && !_framebuffer.IsEmpty)
            {
                return null;
            }

            long screenBytes = (long)mode.Width * mode.Height * 4;
            int screens = (int)Math.Clamp(PanBytes / screenBytes, 2, PanScreens);
            DmaBuffer framebuffer = default;
            while (framebuffer.IsEmpty)
            {
                try
                {
                    framebuffer = _dma.Allocate(checked((int)(screenBytes * screens)), 4096);
                }
                catch (Exception failure) when (failure is OutOfMemoryException or OverflowException)
                {
                    if (--screens == 0)
                    {
                        return $"virtio-gpu: no DMA memory for a {mode.Width}x{mode.Height} framebuffer ({screenBytes / 1024} KiB)";
                    }
                }
            }

            int rows = mode.Height * screens;
            uint resource = _nextResource++;
            string? error = Run(VirtioGpuCommands.ResourceCreate2D(_control.Request, resource, FormatB8G8R8X8, (uint)mode.Width, (uint)mode.Height), RespOkNoData, HeaderLength);
            if (error is not null)
            {
                FreeUnlessBroken(framebuffer);
                return error;
            }

            error = Run(VirtioGpuCommands.AttachBacking(_control.Request, resource, framebuffer.PhysicalAddress, (uint)screenBytes), RespOkNoData, HeaderLength);
            if (error is not null)
            {
                Run(VirtioGpuCommands.ResourceOnly(_control.Request, CmdResourceUnref, resource), RespOkNoData, HeaderLength);
                FreeUnlessBroken(framebuffer);
                return error;
            }

            var screen = new Rect(0, 0, (uint)mode.Width, (uint)mode.Height);
            error = Run(VirtioGpuCommands.SetScanout(_control.Request, screen, (uint)mode.Scanout, resource), RespOkNoData, HeaderLength)
                ?? Run(VirtioGpuCommands.TransferToHost2D(_control.Request, screen, 0, resource), RespOkNoData, HeaderLength)
                ?? Run(VirtioGpuCommands.ResourceFlush(_control.Request, screen, resource, _control.NextFence()), RespOkNoData, HeaderLength);
            if (error is not null)
            {
                Release(framebuffer, resource);
                return error;
            }

            DmaBuffer old = _framebuffer;
            uint oldResource = _resource;
            _framebuffer = framebuffer;
            _resource = resource;
            _virtualHeight = rows;
            _origin = 0;
            Mode = mode;
            if (!old.IsEmpty)
            {
                Release(old, oldResource);
            }

            return null;
        }

        // The resource's backing becomes the screen's rows from framebuffer row `origin` on. If the device takes the
        // new backing back it gets the old one again, so flushes keep working.
        private string? Rebase(int origin)
        {
            uint length = (uint)(Width * Height * 4);
            string? error = Run(VirtioGpuCommands.ResourceOnly(_control.Request, CmdResourceDetachBacking, _resource), RespOkNoData, HeaderLength);
            if (error is not null)
            {
                return error;
            }

            error = Run(VirtioGpuCommands.AttachBacking(_control.Request, _resource, _framebuffer.PhysicalAddress + ((ulong)origin * (ulong)Stride * 4), length), RespOkNoData, HeaderLength);
            if (error is null)
            {
                _origin = origin;
                return null;
            }

            Run(VirtioGpuCommands.AttachBacking(_control.Request, _resource, _framebuffer.PhysicalAddress + ((ulong)_origin * (ulong)Stride * 4), length), RespOkNoData, HeaderLength);
            return error;
        }

        // Detached first: the memory goes back only when the device no longer holds it.
        private void Release(DmaBuffer framebuffer, uint resource)
        {
            if (Run(VirtioGpuCommands.ResourceOnly(_control.Request, CmdResourceDetachBacking, resource), RespOkNoData, HeaderLength) is null)
            {
                _dma.Free(framebuffer);
            }

            Run(VirtioGpuCommands.ResourceOnly(_control.Request, CmdResourceUnref, resource), RespOkNoData, HeaderLength);
        }

        // The device may still hold the backing when it broke: the memory is kept rather than reused.
        private void FreeUnlessBroken(DmaBuffer framebuffer)
        {
            if (_control.Broken is null)
            {
                _dma.Free(framebuffer);
            }
        }
    }
}
