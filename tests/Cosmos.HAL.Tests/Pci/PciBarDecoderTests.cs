using Cosmos.HAL.Pci;
using Xunit;

namespace Cosmos.HAL.Tests.Pci;

public sealed class PciBarDecoderTests
{
    [Fact]
    public void IoBar_SizeIsTheLowestWritableBit()
    {
        // virtio-blk's legacy BAR0 on QEMU: 0x80 ports.
        Assert.Equal(new PciBar(0, PciBarKind.Io, 0xC000, 0x80, false), PciBarDecoder.Decode(0, 0xC001, 0xFFFF_FF81));
    }

    [Fact]
    public void IoBar_OfADeviceDecodingSixteenBits_IsSizedFromTheLowHalf()
    {
        Assert.Equal(0x80UL, PciBarDecoder.Decode(0, 0xC001, 0x0000_FF81).Size);
    }

    [Fact]
    public void Memory32Bar_KeepsItsAddressAndPrefetchability()
    {
        Assert.Equal(new PciBar(1, PciBarKind.Memory32, 0xFEBF_1000, 0x1000, false), PciBarDecoder.Decode(1, 0xFEBF_1000, 0xFFFF_F000));
        Assert.Equal(new PciBar(0, PciBarKind.Memory32, 0xFD00_0000, 0x100_0000, true), PciBarDecoder.Decode(0, 0xFD00_0008, 0xFF00_0008));
    }

    [Fact]
    public void Memory64Bar_CombinesBothHalves()
    {
        // virtio-blk's modern BAR4 on QEMU 7.2: 16 KiB, 64-bit, prefetchable.
        PciBar bar = PciBarDecoder.Decode(4, 0xFE00_000C, 0xFFFF_C00C, 0x0000_0000, 0xFFFF_FFFF);
        Assert.Equal(new PciBar(4, PciBarKind.Memory64, 0xFE00_0000, 0x4000, true), bar);
        PciBar high = PciBarDecoder.Decode(2, 0x0000_000C, 0xFFFF_C00C, 0x0000_0010, 0xFFFF_FFFF);
        Assert.Equal(0x10_0000_0000UL, high.Address);
    }

    [Fact]
    public void Memory64Bar_LargerThan4GiB_IsSizedFromTheUpperHalf()
    {
        PciBar bar = PciBarDecoder.Decode(0, 0x0000_000C, 0x0000_000C, 0x0000_0008, 0xFFFF_FFFE);
        Assert.Equal(PciBarKind.Memory64, bar.Kind);
        Assert.Equal(8UL << 30, bar.Size);
        Assert.Equal(0x8_0000_0000UL, bar.Address);
    }

    [Fact]
    public void UnimplementedBar_IsNone()
    {
        Assert.Equal(PciBarKind.None, PciBarDecoder.Decode(2, 0, 0).Kind);
        Assert.Equal(PciBarKind.None, PciBarDecoder.Decode(2, 0, 0x1).Kind);
        Assert.True(PciBarDecoder.Is64Bit(0xFFFF_C00C));
        Assert.False(PciBarDecoder.Is64Bit(0xFFFF_FF81));
    }
}
