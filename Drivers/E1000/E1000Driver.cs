using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.E1000
{
    /// <summary>
    /// Takes Intel 8254x PCI functions with the 82540-style EERD register (QEMU's <c>-device e1000</c>
    /// is 8086:100E) and the 82574L (8086:10D3, QEMU's and VMware's e1000e; see <see cref="E1000Model"/>), maps BAR0 (MapBar also enables memory decoding and bus mastering), starts the
    /// controller and registers it as a network interface. A controller that does not answer is logged
    /// and skipped; the boot goes on.
    /// </summary>
    public sealed class E1000Driver : IDriver
    {
        private const ushort IntelVendorId = 0x8086;

        // 82540EM, 82540EM-LOM, 82540EP-LOM, 82540EP, 82540EP-LP, 82545EM copper, 82545GM copper (8254x SDM §5.2 / Table 5-1).
        private static readonly ushort[] DeviceIds = { 0x100E, 0x1015, 0x1016, 0x1017, 0x101E, 0x100F, 0x1026 };

        // 82574L (82574 datasheet §9.2.2: device ID 10D3h).
        private const ushort I82574LDeviceId = 0x10D3;

        private readonly IDmaAllocator _dma;
        private readonly Action<string> _log;
        private readonly E1000Timeouts _timeouts;

        /// <summary>A driver allocating rings and buffers from <paramref name="dma"/> and writing its few lines to <paramref name="log"/>.</summary>
        public E1000Driver(IDmaAllocator dma, Action<string> log, E1000Timeouts? timeouts = null)
        {
            _dma = dma;
            _log = log;
            _timeouts = timeouts ?? E1000Timeouts.Default;
        }

        /// <inheritdoc />
        public string Name => "e1000";

        /// <inheritdoc />
        public bool Matches(IBusDevice device) =>
            device is IPciFunction { VendorId: IntelVendorId } function
            && (function.DeviceId == I82574LDeviceId || Array.IndexOf(DeviceIds, function.DeviceId) >= 0);

        /// <inheritdoc />
        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            var function = (IPciFunction)device;
            E1000Model model = function.DeviceId == I82574LDeviceId ? E1000Model.I82574 : E1000Model.I8254x;
            string prefix = $"[{model.DriverName}] {function.Address}: ";
            PciBar? bar0 = null;
            foreach (PciBar bar in function.Bars)
            {
                if (bar.Index == 0)
                {
                    bar0 = bar;
                }
            }

            if (bar0 is null || bar0.Kind == PciBarKind.Io || bar0.Size < E1000Registers.MinimumWindowLength)
            {
                string problem = $"no memory BAR0 of at least 0x{E1000Registers.MinimumWindowLength:x} bytes";
                _log($"{prefix}{problem}; skipped");
                return problem;
            }

            ulong length = Math.Min(bar0.Size, E1000Registers.WindowLength);
            IRegisterBlock registers = function.MapBar(0, 0, length);
            E1000Device? nic = E1000Device.Start(registers, model, _dma, _timeouts, $"pci {function.Address} {registers.Description}", out string? error);
            if (nic is null)
            {
                _log($"{prefix}{error}; skipped");
                return error;
            }

            // The 82540EM has no MSI capability (QEMU's e1000 neither): this is usually its INTx line; the 82574L gets MSI-X.
            nic.AttachInterrupts(function.EnableInterrupts(1));
            nic.Name = manager.Register(nic).Name;
            _log(nic.Summary);
            return null;
        }
    }
}
