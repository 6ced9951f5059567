using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.VmwareSvga
{
    /// <summary>
    /// Takes the VMware SVGA II PCI function (15AD:0405; VMware's display and QEMU's <c>-vga vmware</c>): BAR0 the
    /// register ports, BAR1 the VRAM, BAR2 the command FIFO. The adapter registers as a display (fb0), which the
    /// console then takes instead of the firmware framebuffer. A device that reports nonsense is logged and skipped.
    /// </summary>
    public sealed class VmwareSvgaDriver : IDriver
    {
        private const ushort VmwareVendorId = 0x15AD, SvgaIIDeviceId = 0x0405;

        private readonly Action<string> _log;
        private readonly Func<ulong, ulong, nint> _mapFramebuffer;
        private readonly (int Width, int Height) _mode;
        private readonly TimeSpan _syncTimeout;

        /// <summary>
        /// A driver that maps VRAM with <paramref name="mapFramebuffer"/> (physical address, length → address),
        /// asks for <paramref name="width"/> × <paramref name="height"/> and logs to <paramref name="log"/>.
        /// </summary>
        public VmwareSvgaDriver(Action<string> log, Func<ulong, ulong, nint> mapFramebuffer, int width = 1280, int height = 1024, TimeSpan? syncTimeout = null)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
            _log = log ?? throw new ArgumentNullException(nameof(log));
            _mapFramebuffer = mapFramebuffer ?? throw new ArgumentNullException(nameof(mapFramebuffer));
            _mode = (width, height);
            _syncTimeout = syncTimeout ?? TimeSpan.FromSeconds(1);
        }

        /// <inheritdoc />
        public string Name => "vmware-svga";

        /// <inheritdoc />
        public bool Matches(IBusDevice device) =>
            device is IPciFunction { VendorId: VmwareVendorId, DeviceId: SvgaIIDeviceId };

        /// <inheritdoc />
        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            var function = (IPciFunction)device;
            PciBar? ports = null, vram = null, fifo = null;
            foreach (PciBar bar in function.Bars)
            {
                switch (bar.Index)
                {
                    case 0: ports = bar; break;
                    case 1: vram = bar; break;
                    case 2: fifo = bar; break;
                }
            }

            if (ports is null || ports.Kind != PciBarKind.Io || ports.Size < SvgaRegisters.PortWindowLength
                || vram is null || vram.Kind == PciBarKind.Io || fifo is null || fifo.Kind == PciBarKind.Io)
            {
                const string problem = "expected an I/O BAR0 (registers) and memory BAR1 (VRAM) and BAR2 (FIFO)";
                _log($"[svga] {function.Address}: {problem}; skipped");
                return problem;
            }

            IRegisterBlock registers = function.MapBar(0, 0, SvgaRegisters.PortWindowLength);
            IRegisterBlock fifoMemory = function.MapBar(2, 0, fifo.Size);
            function.MapBar(1, 0, Math.Min(vram.Size, 4096));   // enables memory decoding for BAR1; VRAM itself is mapped by mode
            VmwareSvgaDevice? display = VmwareSvgaDevice.Start(registers, fifoMemory, vram.Address, vram.Size, _mapFramebuffer, _mode, _syncTimeout,
                $"pci {function.Address} {registers.Description}", out string? error);
            if (display is null)
            {
                _log($"[svga] {function.Address}: {error}; skipped");
                return error;
            }

            string name = manager.Register(display).Name;
            _log($"[svga] {name}: {display.Summary}");
            return null;
        }
    }
}
