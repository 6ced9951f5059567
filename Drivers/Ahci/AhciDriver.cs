using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// Takes PCI functions of class 01h (mass storage), subclass 06h (SATA), programming interface
    /// 01h (AHCI 1.0) — AHCI 1.3.1 §2.1.4 — maps ABAR (BAR5) and registers a disk per SATA drive.
    /// </summary>
    public sealed class AhciDriver : IDriver
    {
        private readonly IDmaAllocator _dma;
        private readonly AhciTimeouts _timeouts;
        private readonly Action<string> _log;

        /// <summary>
        /// A driver allocating command memory from <paramref name="dma"/> and writing its few lines
        /// (disks found, hardware that failed) to <paramref name="log"/>.
        /// </summary>
        public AhciDriver(IDmaAllocator dma, Action<string> log, AhciTimeouts? timeouts = null)
        {
            _dma = dma;
            _log = log;
            _timeouts = timeouts ?? AhciTimeouts.Default;
        }

        /// <inheritdoc />
        public string Name => "ahci";

        /// <inheritdoc />
        public bool Matches(IBusDevice device) =>
            device is IPciFunction { ClassCode: 0x01, Subclass: 0x06, ProgIf: 0x01 };

        /// <inheritdoc />
        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            var function = (IPciFunction)device;
            PciBar? abar = null;
            foreach (PciBar bar in function.Bars)
            {
                if (bar.Index == 5)
                {
                    abar = bar;
                }
            }

            if (abar is null || abar.Kind == PciBarKind.Io || abar.Size < AhciHbaRegisters.PortBase + AhciHbaRegisters.PortStride)
            {
                return "no memory BAR5 (ABAR) large enough for one port";
            }

            ulong length = abar.Size < AhciHbaRegisters.WindowLength ? abar.Size : AhciHbaRegisters.WindowLength;
            IRegisterBlock registers = function.MapBar(5, 0, length);
            AhciController? controller = AhciController.Start(registers, _dma, _timeouts, $"ahci {function.Address}", out string? error);
            if (controller == null)
            {
                Log($"[ahci] {function.Address}: {error}; skipped");
                return error;
            }

            foreach (string note in controller.PortNotes)
            {
                // Empty ports are normal (q35's built-in HBA has six); they show in lsdev, not in the boot log.
                if (!note.EndsWith(AhciPort.NoDeviceNote, StringComparison.Ordinal))
                {
                    Log($"[ahci] {function.Address} {note}");
                }
            }

            foreach (AhciDisk disk in controller.Disks)
            {
                DeviceEntry entry = manager.Register(disk);
                Log($"[ahci] {entry.Name}: {disk.BlockCount} sectors, {disk.BlockSize} B, \"{disk.Model}\" on {disk.Transport}");
            }

            return null;
        }

        private void Log(string line) => _log(line);
    }
}
