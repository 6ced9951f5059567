using System.Collections.Generic;
using Cosmos.HAL.Pci;

namespace Cosmos.HAL.Tests.Fakes;

/// <summary>Configuration space of simulated functions; nothing answers elsewhere (all ones).</summary>
internal sealed class FakePciConfigAccess : IPciConfigAccess
{
    public Dictionary<PciAddress, FakePciFunction> Functions { get; } = new();

    public string Description => "fake";

    public int ConfigSpaceSize => 256;

    public IReadOnlyList<PciRootBus> RootBuses { get; } = new[] { new PciRootBus(0, 0) };

    public FakePciFunction Add(byte bus, byte device, byte function, FakePciFunction fake)
    {
        Functions[new PciAddress(0, bus, device, function)] = fake;
        return fake;
    }

    public bool Covers(ushort segment, byte bus) => segment == 0;

    public byte Read8(PciAddress address, int offset) => (byte)Read(address, offset, 1);

    public ushort Read16(PciAddress address, int offset) => (ushort)Read(address, offset, 2);

    public uint Read32(PciAddress address, int offset) => Read(address, offset, 4);

    public void Write8(PciAddress address, int offset, byte value) => Write(address, offset, 1, value);

    public void Write16(PciAddress address, int offset, ushort value) => Write(address, offset, 2, value);

    public void Write32(PciAddress address, int offset, uint value) => Write(address, offset, 4, value);

    private uint Read(PciAddress address, int offset, int width) =>
        Functions.TryGetValue(address, out FakePciFunction? function) ? function.Read(offset, width) : width == 4 ? 0xFFFF_FFFF : width == 2 ? 0xFFFFu : 0xFFu;

    private void Write(PciAddress address, int offset, int width, uint value)
    {
        if (Functions.TryGetValue(address, out FakePciFunction? function))
        {
            function.Write(offset, width, value);
        }
    }
}
