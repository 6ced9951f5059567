using System.Linq;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Cosmos.HAL.Tests.Fakes;
using Xunit;

namespace Cosmos.HAL.Tests.Pci;

public sealed class PciBusTests
{
    private static (PciBus Bus, FakePciConfigAccess Access, FakePciPlatform Platform) Machine()
    {
        var access = new FakePciConfigAccess();
        var platform = new FakePciPlatform();
        access.Add(0, 0, 0, new FakePciFunction(0x8086, 0x1237, 0x06, 0x00));
        return (new PciBus(access, platform), access, platform);
    }

    [Fact]
    public void MultiFunctionDevice_EveryPresentFunctionIsFound()
    {
        var (bus, access, _) = Machine();
        access.Add(0, 1, 0, new FakePciFunction(0x8086, 0x7000, 0x06, 0x01, headerType: 0x80));
        access.Add(0, 1, 1, new FakePciFunction(0x8086, 0x7010, 0x01, 0x01));
        access.Add(0, 1, 3, new FakePciFunction(0x8086, 0x7113, 0x06, 0x80));
        // A single-function device answering on function 2 as well (some do): only function 0 counts.
        access.Add(0, 2, 0, new FakePciFunction(0x1234, 0x1111, 0x03, 0x00));
        access.Add(0, 2, 2, new FakePciFunction(0x1234, 0x1111, 0x03, 0x00));
        var addresses = bus.Enumerate().Select(f => f.Address.ToString()).ToArray();
        Assert.Equal(new[] { "0000:00:00.0", "0000:00:01.0", "0000:00:01.1", "0000:00:01.3", "0000:00:02.0" }, addresses);
    }

    [Fact]
    public void Bridge_IsFollowedToItsSecondaryBus()
    {
        var (bus, access, _) = Machine();
        FakePciFunction bridge = access.Add(0, 4, 0, new FakePciFunction(0x1B36, 0x0001, 0x06, 0x04, headerType: 1));
        bridge.Space[0x19] = 1;
        bridge.Space[0x1A] = 2;
        FakePciFunction nested = access.Add(1, 2, 0, new FakePciFunction(0x1B36, 0x0001, 0x06, 0x04, headerType: 1));
        nested.Space[0x19] = 2;
        nested.Space[0x1A] = 2;
        access.Add(2, 3, 0, new FakePciFunction(0x1234, 0x11E8, 0xFF, 0x00));
        var functions = bus.Enumerate();
        PciFunction edu = Assert.Single(functions, f => f.VendorId == 0x1234);
        Assert.Equal(new PciAddress(0, 2, 3, 0), edu.Address);
        Assert.True(functions.Single(f => f.Address.Bus == 0 && f.Address.Device == 4).IsBridge);
        Assert.Empty(bus.Warnings);
    }

    [Fact]
    public void BridgePointingBackOrUnassigned_IsNotFollowedAndSaysSo()
    {
        var (bus, access, _) = Machine();
        FakePciFunction loop = access.Add(0, 4, 0, new FakePciFunction(0x1B36, 0x0001, 0x06, 0x04, headerType: 1));
        loop.Space[0x19] = 0;                // firmware left it unassigned (or it lies)
        FakePciFunction good = access.Add(0, 5, 0, new FakePciFunction(0x1B36, 0x0001, 0x06, 0x04, headerType: 1));
        good.Space[0x19] = 1;
        good.Space[0x1A] = 1;
        FakePciFunction back = access.Add(1, 0, 0, new FakePciFunction(0x1B36, 0x0001, 0x06, 0x04, headerType: 1));
        back.Space[0x19] = 1;                 // points at its own bus
        back.Space[0x1A] = 1;
        Assert.Equal(4, bus.Enumerate().Count);
        Assert.Equal(2, bus.Warnings.Count);
        Assert.Contains("0000:00:04.0: secondary bus 0", bus.Warnings[0]);
    }

    [Fact]
    public void Bars_AreSizedWithDecodingOffAndRestored()
    {
        var (bus, access, _) = Machine();
        FakePciFunction blk = access.Add(0, 3, 0, new FakePciFunction(0x1AF4, 0x1001, 0x01, 0x00)
            .Bar(0, 0xC000, 0x80, io: true)
            .Bar(1, 0xFEBF_1000, 0x1000)
            .Bar64(4, 0xFE00_0000, 0x4000, prefetchable: true));
        blk.Set16(0x04, 0x0007);
        PciFunction function = bus.Enumerate().Single(f => f.VendorId == 0x1AF4);
        Assert.Equal(
            new[]
            {
                new PciBar(0, PciBarKind.Io, 0xC000, 0x80, false),
                new PciBar(1, PciBarKind.Memory32, 0xFEBF_1000, 0x1000, false),
                new PciBar(4, PciBarKind.Memory64, 0xFE00_0000, 0x4000, true),
            },
            function.Bars);
        Assert.Equal(0, blk.CommandWritesWhileDecoding);
        Assert.Equal((ushort)0x0007, blk.Get16(0x04));
        Assert.Equal(0xC001u, blk.Get32(0x10));
        Assert.Equal(0xFE00_000Cu, blk.Get32(0x20));
        Assert.Equal(0u, blk.Get32(0x24));
    }

    [Fact]
    public void Capabilities_AreListedInOrder()
    {
        var (bus, access, _) = Machine();
        access.Add(0, 3, 0, new FakePciFunction(0x1AF4, 0x1001, 0x01, 0x00).Capabilities((0x11, 0x98), (0x09, 0x84), (0x09, 0x70)));
        PciFunction function = bus.Enumerate().Single(f => f.VendorId == 0x1AF4);
        Assert.Equal(new[] { new PciCapability(0x11, 0x98), new PciCapability(0x09, 0x84), new PciCapability(0x09, 0x70) }, function.Capabilities);
        Assert.Equal(new PciCapability(0x09, 0x84), function.FindCapability(0x09));
        Assert.Null(function.CapabilityProblem);
    }

    [Fact]
    public void CapabilityListThatLoops_EndsWithAProblemNotAHang()
    {
        var (bus, access, _) = Machine();
        FakePciFunction device = access.Add(0, 3, 0, new FakePciFunction(0x1AF4, 0x1001, 0x01, 0x00).Capabilities((0x11, 0x98), (0x09, 0x84)));
        device.Space[0x85] = 0x98;           // the second entry points back at the first
        PciFunction function = bus.Enumerate().Single(f => f.VendorId == 0x1AF4);
        Assert.Equal(2, function.Capabilities.Count);
        Assert.Contains("loops back to 0x98", function.CapabilityProblem);
    }

    [Fact]
    public void CapabilityPointerIntoTheHeader_EndsTheWalk()
    {
        var (bus, access, _) = Machine();
        FakePciFunction device = access.Add(0, 3, 0, new FakePciFunction(0x1AF4, 0x1001, 0x01, 0x00).Capabilities((0x11, 0x98)));
        device.Space[0x99] = 0x10;
        PciFunction function = bus.Enumerate().Single(f => f.VendorId == 0x1AF4);
        Assert.Single(function.Capabilities);
        Assert.Contains("points into the header", function.CapabilityProblem);
    }

    [Fact]
    public void Function_DescribesItselfForListings()
    {
        var (bus, access, _) = Machine();
        access.Add(0, 3, 0, new FakePciFunction(0x1AF4, 0x1001, 0x01, 0x00));
        PciFunction function = bus.Enumerate().Single(f => f.VendorId == 0x1AF4);
        Assert.Equal("0000:00:03.0 1af4:1001 [010000] Mass storage controller / SCSI storage controller", function.ToString());
        Assert.Equal(InterruptMode.Polled, function.InterruptMode);
    }

    [Fact]
    public void ConfigSpace_RejectsMisalignedAndOutOfRangeOffsets()
    {
        var config = new PciConfigSpace(new FakePciConfigAccess(), new PciAddress(0, 0, 0, 0));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => config.Read32(0x102));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => config.Read16(0x03));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => config.Read8(256));
        Assert.Equal(0xFFFFu, config.Read16(0));
    }
}
