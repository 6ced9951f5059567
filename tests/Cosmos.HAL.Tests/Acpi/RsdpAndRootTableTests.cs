using System;
using System.Collections.Generic;
using Cosmos.Core.Acpi;
using Xunit;

namespace Cosmos.HAL.Tests.Acpi;

public sealed class RsdpAndRootTableTests
{
    [Fact]
    public void Rsdp_Revision0_GivesTheRsdt()
    {
        Rsdp rsdp = Rsdp.Parse(AcpiTableBuilder.Rsdp(0, 0x1FFE_0000));
        Assert.Equal(0x1FFE_0000u, rsdp.RsdtAddress);
        Assert.Equal("BOCHS", rsdp.OemId);
        Assert.False(rsdp.UsesXsdt);
    }

    [Fact]
    public void Rsdp_Revision2_PrefersTheXsdt()
    {
        Rsdp rsdp = Rsdp.Parse(AcpiTableBuilder.Rsdp(2, 0x1000, 0x1_2345_6000));
        Assert.True(rsdp.UsesXsdt);
        Assert.Equal(0x1_2345_6000UL, rsdp.XsdtAddress);
    }

    [Fact]
    public void Rsdp_BadChecksum_IsAClearError()
    {
        byte[] bytes = AcpiTableBuilder.Rsdp(0, 0x1000);
        bytes[16] ^= 1;
        var error = Assert.Throws<AcpiParseException>(() => Rsdp.Parse(bytes));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void Rsdp_BadExtendedChecksum_IsAClearError()
    {
        byte[] bytes = AcpiTableBuilder.Rsdp(2, 0x1000, 0x2000);
        bytes[24] ^= 1;       // XSDT address: outside the first 20 bytes, inside the extended checksum
        var error = Assert.Throws<AcpiParseException>(() => Rsdp.Parse(bytes));
        Assert.Contains("extended checksum", error.Message);
    }

    [Fact]
    public void Rsdp_Truncated_IsAClearError()
    {
        byte[] bytes = AcpiTableBuilder.Rsdp(2, 0x1000, 0x2000);
        var error = Assert.Throws<AcpiParseException>(() => Rsdp.Parse(bytes.AsSpan(0, 30)));
        Assert.Contains("needs 36 bytes", error.Message);
        Assert.Throws<AcpiParseException>(() => Rsdp.Parse(bytes.AsSpan(0, 10)));
    }

    [Fact]
    public void Find_SkipsAStraySignatureAndUnalignedCopies()
    {
        var region = new byte[256];
        "RSD PTR "u8.CopyTo(region.AsSpan(16));                 // a signature with garbage after it
        AcpiTableBuilder.Rsdp(0, 0x1234).CopyTo(region, 40);    // not on a 16-byte boundary: not found
        AcpiTableBuilder.Rsdp(0, 0x5678).CopyTo(region, 96);
        int offset = Rsdp.Find(region);
        Assert.Equal(96, offset);
        Assert.Equal(0x5678u, Rsdp.Parse(region.AsSpan(offset)).RsdtAddress);
        Assert.Equal(-1, Rsdp.Find(new byte[64]));
    }

    [Fact]
    public void Rsdt_ListsItsEntries()
    {
        byte[] rsdt = new AcpiTableBuilder("RSDT").U32(0x1FFE_1000).U32(0x1FFE_2000).Build();
        Assert.Equal(new ulong[] { 0x1FFE_1000, 0x1FFE_2000 }, RootTable.ParseEntries(rsdt, extended: false));
    }

    [Fact]
    public void Xsdt_ListsSixtyFourBitEntries()
    {
        byte[] xsdt = new AcpiTableBuilder("XSDT").U64(0x1_0000_0000).U64(0x2000).Build();
        IReadOnlyList<ulong> entries = RootTable.ParseEntries(xsdt, extended: true);
        Assert.Equal(new ulong[] { 0x1_0000_0000, 0x2000 }, entries);
    }

    [Fact]
    public void Xsdt_WithAPartialEntry_IsAClearError()
    {
        byte[] xsdt = new AcpiTableBuilder("XSDT").U64(0x1000).U32(0x2000).Build();
        var error = Assert.Throws<AcpiParseException>(() => RootTable.ParseEntries(xsdt, extended: true));
        Assert.Contains("not a multiple of 8", error.Message);
    }

    [Fact]
    public void Table_LongerThanTheBytesAvailable_IsReportedAsTruncated()
    {
        byte[] rsdt = new AcpiTableBuilder("RSDT").U32(1).U32(2).Build();
        var error = Assert.Throws<AcpiParseException>(() => RootTable.ParseEntries(rsdt.AsSpan(0, 40), extended: false));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("44", error.Message);
    }

    [Fact]
    public void Table_WithALengthShorterThanItsHeader_IsAClearError()
    {
        byte[] rsdt = new AcpiTableBuilder("RSDT").Build();
        rsdt[4] = 20;
        var error = Assert.Throws<AcpiParseException>(() => RootTable.ParseEntries(rsdt, extended: false));
        Assert.Contains("shorter than the 36-byte header", error.Message);
    }

    [Fact]
    public void Table_WithTheWrongSignatureOrChecksum_IsAClearError()
    {
        byte[] rsdt = new AcpiTableBuilder("RSDT").U32(1).Build();
        Assert.Contains("signature 'RSDT'", Assert.Throws<AcpiParseException>(() => RootTable.ParseEntries(rsdt, extended: true)).Message);
        rsdt[36] ^= 0xFF;
        Assert.Contains("checksum", Assert.Throws<AcpiParseException>(() => RootTable.ParseEntries(rsdt, extended: false)).Message);
    }

    [Fact]
    public void Header_FromFewerThan36Bytes_IsAClearError()
    {
        Assert.Throws<AcpiParseException>(() => AcpiTableHeader.Read(new byte[35]));
    }
}
