using System;
using Cosmos.Core.Acpi;
using Cosmos.Core.InterruptControllers;
using Xunit;

namespace Cosmos.HAL.Tests.Acpi;

public sealed class MadtTests
{
    // A MADT shaped like QEMU's (hw/i386/acpi-common.c): one CPU, one I/O APIC, IRQ 0 -> GSI 2,
    // IRQs 5/9/10/11 level/active high, LINT1 NMI for all processors.
    private static AcpiTableBuilder QemuLike() => new AcpiTableBuilder("APIC")
        .U32(0xFEE0_0000).U32(1)
        .Bytes(0, 8, 0, 0).U32(1)                           // local APIC: uid 0, id 0, enabled
        .Bytes(1, 12, 0, 0).U32(0xFEC0_0000).U32(0)          // I/O APIC 0 at 0xfec00000, GSI base 0
        .Bytes(2, 10, 0, 0).U32(2).U16(0)                    // ISA IRQ 0 -> GSI 2, conforms
        .Bytes(2, 10, 0, 11).U32(11).U16(0x000D)             // ISA IRQ 11 -> GSI 11, level, active high
        .Bytes(4, 6, 0xFF).U16(0).U8(1);                     // LINT1 is NMI on every processor

    [Fact]
    public void QemuLikeTable_ParsesEveryEntry()
    {
        Madt madt = Madt.Parse(QemuLike().Build());
        Assert.Equal(0xFEE0_0000UL, madt.LocalApicAddress);
        Assert.True(madt.PcAtCompatible);
        Assert.Equal(new MadtLocalApic(0, 0, true, false), Assert.Single(madt.LocalApics));
        Assert.Equal(new MadtIoApic(0, 0xFEC0_0000, 0), Assert.Single(madt.IoApics));
        Assert.Equal(2, madt.Overrides.Count);
        Assert.Equal(2u, madt.FindOverride(0)!.Value.Gsi);
        MadtInterruptOverride irq11 = madt.FindOverride(11)!.Value;
        Assert.Equal(InterruptTrigger.Level, irq11.Trigger);
        Assert.Equal(InterruptPolarity.ActiveHigh, irq11.Polarity);
        Assert.Null(madt.FindOverride(5));
        Assert.Equal(new MadtLocalApicNmi(0xFF, 1, InterruptPolarity.ConformsToBus, InterruptTrigger.ConformsToBus), Assert.Single(madt.LocalApicNmis));
    }

    [Fact]
    public void LocalApicAddressOverride_ReplacesThe32BitField()
    {
        Madt madt = Madt.Parse(new AcpiTableBuilder("APIC").U32(0xFEE0_0000).U32(0).Bytes(5, 12, 0, 0).U64(0x1_FEE0_0000).Build());
        Assert.Equal(0x1_FEE0_0000UL, madt.LocalApicAddress);
    }

    [Fact]
    public void UnknownEntryTypes_AreSkipped()
    {
        Madt madt = Madt.Parse(new AcpiTableBuilder("APIC").U32(0xFEE0_0000).U32(0).Bytes(0x7F, 4, 1, 2).Bytes(1, 12, 3, 0).U32(0xFEC0_1000).U32(24).Build());
        Assert.Equal(new MadtIoApic(3, 0xFEC0_1000, 24), Assert.Single(madt.IoApics));
    }

    [Fact]
    public void AnEntryOfLengthZero_IsAnErrorNotAnEndlessLoop()
    {
        byte[] table = new AcpiTableBuilder("APIC").U32(0xFEE0_0000).U32(0).Bytes(0, 0, 0, 0, 0, 0, 0, 0).Build();
        var error = Assert.Throws<AcpiParseException>(() => Madt.Parse(table));
        Assert.Contains("length 0", error.Message);
    }

    [Fact]
    public void AnEntryRunningPastTheTable_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("APIC").U32(0xFEE0_0000).U32(0).Bytes(1, 12, 0, 0).U32(0xFEC0_0000).Build();
        var error = Assert.Throws<AcpiParseException>(() => Madt.Parse(table));
        Assert.Contains("entry type 1 at offset 44 has length 12; 8 bytes remain", error.Message);
    }

    [Fact]
    public void AnIoApicEntryTooShort_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("APIC").U32(0xFEE0_0000).U32(0).Bytes(1, 8, 0, 0).U32(0xFEC0_0000).Build();
        var error = Assert.Throws<AcpiParseException>(() => Madt.Parse(table));
        Assert.Contains("is 8 bytes, needs 12", error.Message);
    }

    [Fact]
    public void ALoneTrailingByte_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("APIC").U32(0xFEE0_0000).U32(0).U8(0).Build();
        Assert.Contains("lone byte", Assert.Throws<AcpiParseException>(() => Madt.Parse(table)).Message);
    }

    [Fact]
    public void CorruptChecksumOrTruncation_IsAClearError()
    {
        byte[] table = QemuLike().Build();
        Assert.Contains("truncated", Assert.Throws<AcpiParseException>(() => Madt.Parse(table.AsSpan(0, table.Length - 1))).Message);
        table[50] ^= 0x10;
        Assert.Contains("checksum", Assert.Throws<AcpiParseException>(() => Madt.Parse(table)).Message);
        byte[] tooShort = new AcpiTableBuilder("APIC").U32(0xFEE0_0000).Build();
        Assert.Contains("cannot hold", Assert.Throws<AcpiParseException>(() => Madt.Parse(tooShort)).Message);
    }

    [Theory]
    [InlineData(4, false, false, false, 4u)]     // ISA default: edge, active high
    [InlineData(10, true, true, true, 10u)]      // PCI without an override: level, active low
    [InlineData(11, true, true, false, 11u)]     // the override says level, active high
    [InlineData(0, false, false, false, 2u)]     // IRQ 0 moved to GSI 2, flags conform (ISA)
    public void LegacyLines_ResolveThroughTheOverrides(int line, bool isPci, bool level, bool activeLow, uint gsi)
    {
        Madt madt = Madt.Parse(QemuLike().Build());
        Assert.Equal((gsi, level, activeLow), LegacyInterrupts.Resolve(madt, line, isPci));
    }

    [Fact]
    public void LegacyLines_WithoutAMadt_UseTheBusDefaults()
    {
        Assert.Equal((9u, true, true), LegacyInterrupts.Resolve(null, 9, isPci: true));
    }
}
