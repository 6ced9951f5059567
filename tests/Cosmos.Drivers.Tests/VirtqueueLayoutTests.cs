using System;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class VirtqueueLayoutTests
    {
        [Fact]
        public void ModernLayoutPacksThePartsWithTheirAlignments()
        {
            // §2.7: desc 16·N (16-aligned), avail 6+2N (2-aligned), used 6+8N (4-aligned).
            VirtqueueLayout layout = VirtqueueLayout.Create(256, legacy: false);
            Assert.Equal(4096, layout.AvailableRingOffset);
            Assert.Equal(4616, layout.UsedRingOffset); // 4096 + 518, already 4-aligned
            Assert.Equal(4616 + 2054, layout.TotalBytes);
            Assert.Equal(16, layout.Alignment);
        }

        [Fact]
        public void ModernLayoutAlignsTheUsedRingTo4()
        {
            VirtqueueLayout layout = VirtqueueLayout.Create(1, legacy: false);
            Assert.Equal(16, layout.AvailableRingOffset);
            Assert.Equal(24, layout.UsedRingOffset); // 16 + 8 = 24
        }

        [Theory]
        [InlineData(256, 8192, 12288)]
        [InlineData(128, 4096, 8192)]
        [InlineData(1024, 20480, 20480 + 12288)]
        public void LegacyLayoutPutsTheUsedRingOnTheNextPage(int size, int usedOffset, int total)
        {
            // §2.7.2: ALIGN(16·N + 2·(3+N)) + ALIGN(2·3 + 8·N), Queue Align 4096.
            VirtqueueLayout layout = VirtqueueLayout.Create(size, legacy: true);
            Assert.Equal(16 * size, layout.AvailableRingOffset);
            Assert.Equal(usedOffset, layout.UsedRingOffset);
            Assert.Equal(total, layout.TotalBytes);
            Assert.Equal(4096, layout.Alignment);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(65536)]
        public void RejectsSizesThatAreNotPowersOfTwoUpTo32768(int size)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => VirtqueueLayout.Create(size, legacy: false));
        }

        [Fact]
        public void AddressesFollowTheBase()
        {
            VirtqueueAddresses addresses = VirtqueueLayout.Create(8, legacy: false).AddressesAt(0x10000);
            Assert.Equal(new VirtqueueAddresses(0x10000, 0x10080, 0x10098), addresses);
        }
    }
}
