using System;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>A simulated device on one of the transport layouts, with the driver's transport over it.</summary>
    internal sealed class SimRig : IDisposable
    {
        private SimRig(FakeDmaAllocator memory, SimDevice device, IVirtioTransport transport, FakePciFunction? pci, FakeInterruptSource? line, MmioRegisters? mmio)
        {
            Memory = memory;
            Device = device;
            Transport = transport;
            Pci = pci;
            MmioLine = line;
            Mmio = mmio;
        }

        public FakeDmaAllocator Memory { get; }

        public SimDevice Device { get; }

        public IVirtioTransport Transport { get; }

        public FakePciFunction? Pci { get; }

        public FakeInterruptSource? MmioLine { get; }

        public MmioRegisters? Mmio { get; }

        /// <summary>Where interrupts arrive (PCI: after EnableInterrupts).</summary>
        public FakeInterruptSource? Interrupts => Pci?.Interrupts ?? MmioLine;

        public static SimRig Create(SimLayout layout, SimOptions? options = null)
        {
            options ??= new SimOptions();
            var memory = new FakeDmaAllocator();
            var device = new SimDevice(memory, options.DeviceType, options.Features, options.QueueCount, options.MaxQueueSize, options.ConfigLength);
            if (layout == SimLayout.MmioV1 || layout == SimLayout.MmioV2)
            {
                if (layout == SimLayout.MmioV1)
                {
                    device.OfferedFeatures &= ~SimDevice.FeatureVersion1;
                }

                var registers = new MmioRegisters(device, layout == SimLayout.MmioV1 ? 1u : 2u);
                var window = new RegisterWindow(registers, 0, MmioRegisters.WindowSize, "mmio 0xfeb00000+0x200");
                FakeInterruptSource line = options.Interrupts == InterruptMode.Polled
                    ? new FakeInterruptSource(InterruptMode.Polled, 0)
                    : new FakeInterruptSource(InterruptMode.Intx, 1);
                if (line.VectorCount > 0)
                {
                    device.RaiseLine = () => line.Raise(0);
                }

                VirtioMmioProbeStatus status = VirtioMmioTransport.Probe(window, line, out VirtioMmioTransport? mmio);
                if (status != VirtioMmioProbeStatus.Found || mmio is null)
                {
                    throw new InvalidOperationException($"probe said {status}");
                }

                return new SimRig(memory, device, mmio, null, line, registers);
            }

            FakePciFunction pci = BuildPci(layout, device, options);
            VirtioResult<IVirtioTransport> transport = VirtioPciTransportFactory.Create(pci);
            if (!transport.IsSuccess)
            {
                throw new InvalidOperationException(transport.Error);
            }

            return new SimRig(memory, device, transport.Value, pci, null, null);
        }

        public static FakePciFunction BuildPci(SimLayout layout, SimDevice device, SimOptions options)
        {
            ushort deviceId = layout == SimLayout.PciModern ? (ushort)(0x1040 + options.DeviceType) : (ushort)0x1001;
            var pci = new FakePciFunction(deviceId, layout == SimLayout.PciModern ? (ushort)1 : options.DeviceType)
            {
                OfferedMode = options.Interrupts,
                OfferedVectors = options.MsixVectors,
            };
            pci.InterruptsEnabled = source =>
            {
                device.MsixEnabled = source.Mode == InterruptMode.MsiX;
                device.MsixVectorCount = source.Mode == InterruptMode.MsiX ? source.VectorCount : 0;
                device.RaiseVector = vector => source.Raise(vector);
                device.RaiseLine = () => source.Raise(0);
            };

            if (layout != SimLayout.PciModern)
            {
                pci.AddBar(0, PciBarKind.Io, LegacyPciRegisters.BarSize, new LegacyPciRegisters(device));
            }

            if (layout != SimLayout.PciLegacy)
            {
                var modern = new ModernPciRegisters(device, options.NotifyMultiplier);
                pci.AddBar(4, PciBarKind.Memory64, ModernPciRegisters.BarSize, modern);
                pci.AddCapability(0x11, new byte[10]); // MSI-X, for realism: not VirtIO's
                pci.AddVirtioCapability(1, 4, (uint)ModernPciRegisters.CommonAt, 0x38);
                pci.AddVirtioCapability(3, 4, (uint)ModernPciRegisters.IsrAt, 1);
                pci.AddVirtioCapability(4, 4, (uint)ModernPciRegisters.DeviceAt, (uint)options.ConfigLength);
                pci.AddVirtioCapability(2, 4, (uint)ModernPciRegisters.NotifyAt, (uint)ModernPciRegisters.RegionSize, options.NotifyMultiplier);
            }

            return pci;
        }

        public void Dispose() => Memory.Dispose();
    }
}
