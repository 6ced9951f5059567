using System;
using System.Linq;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Cosmos.HAL.Tests.Fakes;
using Xunit;

namespace Cosmos.HAL.Tests.Pci;

public sealed class PciInterruptProgrammingTests : IDisposable
{
    private readonly FakePciConfigAccess _access = new();
    private readonly FakePciPlatform _platform = new();

    public void Dispose() => _platform.Dispose();

    private PciFunction Function(FakePciFunction fake)
    {
        _access.Add(0, 3, 0, fake);
        return new PciFunction(new PciAddress(0, 0, 3, 0), new PciConfigSpace(_access, new PciAddress(0, 0, 3, 0)), _platform);
    }

    // MSI-X with a 4-entry table at BAR1 + 0x800; MSI with 8 messages, 64-bit, per-vector masks; INTA on IRQ 11.
    private static FakePciFunction Device(bool msiX = true, bool msi = true)
    {
        var fake = new FakePciFunction(0x1AF4, 0x1041, 0x01, 0x00).Bar(1, 0xFEBF_0000, 0x1000);
        var capabilities = new System.Collections.Generic.List<(byte, int)>();
        if (msiX)
        {
            capabilities.Add((0x11, 0x98));
        }

        if (msi)
        {
            capabilities.Add((0x05, 0x50));
        }

        fake.Capabilities(capabilities.ToArray());
        fake.Set16(0x9A, 3);                  // table size 4
        fake.Set32(0x9C, 0x800 | 1);          // table at BAR1 + 0x800
        fake.Set16(0x52, (ushort)((3 << 1) | 0x80 | 0x100));
        fake.Space[0x3C] = 11;
        fake.Space[0x3D] = 1;
        return fake;
    }

    [Fact]
    public void MsiX_ProgramsOneEntryPerVectorAndUnmasksTheFunction()
    {
        FakePciFunction fake = Device();
        PciFunction function = Function(fake);
        var source = Assert.IsType<MsiXInterruptSource>(function.EnableInterrupts(3));
        Assert.Equal(3, source.VectorCount);
        Assert.Equal(4, source.TableSize);
        Assert.Equal(0x8000, fake.Get16(0x9A) & 0xC000);                 // enabled, function mask clear
        Assert.Equal(0x0406, fake.Get16(0x04) & 0x0406);                 // memory, bus master, INTx disabled
        (ulong physical, _, MmioRegisterBlock table) = _platform.Mapped.Single();
        Assert.Equal(0xFEBF_0800UL, physical);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal((0xFEE0_0000UL, (uint)source.Vectors[i], 0u), source.ReadEntry(i));
        }

        Assert.Equal(1u, source.ReadEntry(3).Control & 1);               // the unused entry stays masked
        bool called = false;
        source.SetHandler(2, () => called = true);
        _platform.Handlers[source.Vectors[2]]!();
        Assert.True(called);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.SetHandler(3, () => { }));
    }

    [Fact]
    public void MsiX_Disabled_ReturnsItsVectorsAndMasksTheTable()
    {
        FakePciFunction fake = Device();
        PciFunction function = Function(fake);
        var source = (MsiXInterruptSource)function.EnableInterrupts(2);
        function.DisableInterrupts();
        Assert.Equal(0, _platform.AllocatedVectors);
        Assert.Equal(0, fake.Get16(0x9A) & 0x8000);
        Assert.Equal(1u, source.ReadEntry(0).Control & 1);
        Assert.Equal(InterruptMode.Polled, function.InterruptMode);
    }

    [Fact]
    public void MsiX_WithNoVectorLeft_FallsBackToMultipleMessageMsi()
    {
        _platform.VectorsLeft = 4;
        FakePciFunction fake = Device();
        fake.Set32(0x9C, 0x800 | 3);          // table in BAR3, which does not exist
        PciFunction function = Function(fake);
        var source = Assert.IsType<MsiInterruptSource>(function.EnableInterrupts(3));
        Assert.Contains("BAR3", Assert.Single(function.InterruptFallbacks));
        Assert.Equal(4, source.VectorCount);                              // 3 rounded up to a power of two
        Assert.Equal(0, source.FirstVector % 4);
        Assert.True(source.Is64Bit);
        ushort control = fake.Get16(0x52);
        Assert.Equal(1, control & 1);                                     // enabled
        Assert.Equal(2 << 4, control & 0x70);                             // 4 messages
        Assert.Equal(0xFEE0_0000u, fake.Get32(0x54));
        Assert.Equal(0u, fake.Get32(0x58));
        Assert.Equal((ushort)source.FirstVector, fake.Get16(0x5C));
        Assert.Equal(~0xFu, fake.Get32(0x60));                            // messages 0-3 unmasked
        Assert.Equal(0x0404, fake.Get16(0x04) & 0x0404);                 // bus master, INTx disabled
    }

    [Fact]
    public void Msi_ShrinksTheBlockUntilVectorsAreFound()
    {
        _platform.VectorsLeft = 2;
        PciFunction function = Function(Device(msiX: false));
        var source = Assert.IsType<MsiInterruptSource>(function.EnableInterrupts(8));
        Assert.Equal(2, source.VectorCount);
        Assert.Equal("msi 2 vectors 0x40-0x41", source.Description);
    }

    [Fact]
    public void Intx_ConnectsTheFirmwareLineAndEnablesTheWire()
    {
        FakePciFunction fake = Device();
        fake.Set16(0x04, 0x0400);
        PciFunction function = Function(fake);
        var source = Assert.IsType<IntxInterruptSource>(function.EnableInterrupts(2, InterruptMode.Intx));
        Assert.Equal(11u, source.Route.Gsi);
        Assert.Equal(0, fake.Get16(0x04) & 0x0400);
        int calls = 0;
        source.SetHandler(0, () => calls++);
        _platform.LegacyHandler!();
        Assert.Equal(1, calls);
        Assert.StartsWith("intx A irq 11 -> gsi 11", source.Description);
        function.DisableInterrupts();
        Assert.Null(_platform.LegacyHandler);
        Assert.Equal(0x0400, fake.Get16(0x04) & 0x0400);
    }

    [Fact]
    public void NothingAvailable_IsPolledWithTheReasons()
    {
        _platform.LegacyRoutingAvailable = false;
        FakePciFunction fake = Device(msiX: false, msi: false);
        PciFunction function = Function(fake);
        IInterruptSource source = function.EnableInterrupts(1);
        Assert.Equal(InterruptMode.Polled, source.Mode);
        Assert.Contains("no I/O APIC serves irq 11", function.InterruptDescription);
        fake.Space[0x3C] = 0xFF;             // read at enumeration: a function found now has no line
        PciFunction unrouted = Function(fake);
        Assert.Contains("no IRQ line", Assert.IsType<PolledInterruptSource>(unrouted.EnableInterrupts(1)).Reason);
    }

    [Fact]
    public void MapBar_ChecksTheWindowAndEnablesDecoding()
    {
        FakePciFunction fake = Device();
        PciFunction function = Function(fake);
        Assert.Throws<ArgumentException>(() => function.MapBar(1, 0x800, 0x801));
        Assert.Throws<ArgumentException>(() => function.MapBar(0, 0, 4));
        IRegisterBlock block = function.MapBar(1, 0x10, 0x20);
        Assert.Equal("mmio 0xfebf0010+0x20", block.Description);
        Assert.Equal(0x0006, fake.Get16(0x04) & 0x0006);
        block.Write32(0x1C, 0xDEADBEEF);
        Assert.Equal(0xDEADBEEFu, block.Read32(0x1C));
        Assert.Equal((ushort)0xBEEF, block.Read16(0x1C));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Read32(0x1D));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Write8(0x20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Read16(ulong.MaxValue));
    }
}
