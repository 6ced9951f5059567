using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.Tests.Fakes
{
    /// <summary>A bus that lists the devices it was given, named "pci" so that PCI drivers look at them.</summary>
    internal sealed class FakePciBus : IBus
    {
        private readonly IBusDevice[] _devices;

        public FakePciBus(params IBusDevice[] devices) => _devices = devices;

        public string Name => "pci";

        public IReadOnlyList<IBusDevice> Enumerate() => _devices;
    }

    /// <summary>A fake PCI function as the PCI bus offers it to drivers (an <see cref="IBusDevice"/> too).</summary>
    internal sealed class FakeBusPciFunction : IPciFunction, IBusDevice
    {
        private readonly FakePciFunction _inner;

        public FakeBusPciFunction(FakePciFunction inner, string description)
        {
            _inner = inner;
            Description = description;
        }

        public string Bus => "pci";

        string IBusDevice.Address => _inner.Address.ToString();

        public string Description { get; }

        public PciAddress Address => _inner.Address;

        public ushort VendorId => _inner.VendorId;

        public ushort DeviceId => _inner.DeviceId;

        public byte Revision => _inner.Revision;

        public ushort SubsystemId => _inner.SubsystemId;

        public byte ClassCode => _inner.ClassCode;

        public byte Subclass => _inner.Subclass;

        public byte ProgIf => _inner.ProgIf;

        public IPciConfigSpace Config => _inner.Config;

        public IReadOnlyList<PciBar> Bars => _inner.Bars;

        public IReadOnlyList<PciCapability> Capabilities => _inner.Capabilities;

        public IRegisterBlock MapBar(int barIndex, ulong offset, ulong length) => _inner.MapBar(barIndex, offset, length);

        public IInterruptSource EnableInterrupts(int wantedVectors) => _inner.EnableInterrupts(wantedVectors);
    }
}
