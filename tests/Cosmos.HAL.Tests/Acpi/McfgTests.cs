using Cosmos.Core.Acpi;
using Xunit;

namespace Cosmos.HAL.Tests.Acpi;

public sealed class McfgTests
{
    [Fact]
    public void Q35LikeTable_GivesOneWindow()
    {
        byte[] table = new AcpiTableBuilder("MCFG").U64(0).U64(0xB000_0000).U16(0).Bytes(0, 255).U32(0).Build();
        EcamRegion region = Assert.Single(Mcfg.Parse(table));
        Assert.Equal(new EcamRegion(0xB000_0000, 0, 0, 255), region);
        Assert.Equal(256UL << 20, region.Length);
        Assert.True(region.Covers(0, 255));
        Assert.False(region.Covers(1, 0));
    }

    [Fact]
    public void SeveralSegments_AreAllListed()
    {
        byte[] table = new AcpiTableBuilder("MCFG").U64(0)
            .U64(0xE000_0000).U16(0).Bytes(0, 63).U32(0)
            .U64(0x40_0000_0000).U16(1).Bytes(16, 31).U32(0).Build();
        var regions = Mcfg.Parse(table);
        Assert.Equal(2, regions.Count);
        Assert.Equal(new EcamRegion(0x40_0000_0000, 1, 16, 31), regions[1]);
        Assert.Equal(16UL << 20, regions[1].Length);
        Assert.True(regions[1].Covers(1, 20));
        Assert.False(regions[1].Covers(1, 15));
    }

    [Fact]
    public void APartialEntry_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("MCFG").U64(0).U64(0xB000_0000).U16(0).Build();
        Assert.Contains("whole 16-byte entries", Assert.Throws<AcpiParseException>(() => Mcfg.Parse(table)).Message);
    }

    [Fact]
    public void AReversedBusRange_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("MCFG").U64(0).U64(0xB000_0000).U16(0).Bytes(10, 5).U32(0).Build();
        Assert.Contains("bus range 10..5", Assert.Throws<AcpiParseException>(() => Mcfg.Parse(table)).Message);
    }

    [Fact]
    public void AMisalignedBase_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("MCFG").U64(0).U64(0xB000_1000).U16(0).Bytes(0, 0).U32(0).Build();
        Assert.Contains("not 1 MiB aligned", Assert.Throws<AcpiParseException>(() => Mcfg.Parse(table)).Message);
    }

    [Fact]
    public void ABadChecksum_IsAClearError()
    {
        byte[] table = new AcpiTableBuilder("MCFG").U64(0).U64(0xB000_0000).U16(0).Bytes(0, 255).U32(0).Build();
        table[44] ^= 1;
        Assert.Contains("checksum", Assert.Throws<AcpiParseException>(() => Mcfg.Parse(table)).Message);
    }
}
