using Cosmos.Core.Memory;
using Cosmos.HAL.Hardware;
using Cosmos.TestKit;

namespace PciTests.Checks
{
    /// <summary>The kernel DMA allocator over the page-frame pool.</summary>
    internal static class DmaChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("dma.buffers-zeroed-aligned-identity-mapped", () =>
            {
                var dma = new DmaAllocator();
                ulong freeBefore = PageFrameAllocator.FreeBytes;
                DmaBuffer small = dma.Allocate(100, 16);
                DmaBuffer large = dma.Allocate(64 * 1024, 64 * 1024);
                Assert.Equal(0UL, small.PhysicalAddress % 4096, "small buffer page-aligned");
                Assert.Equal(0UL, large.PhysicalAddress % (64 * 1024), "64 KiB alignment");
                Assert.Equal((nint)large.PhysicalAddress, large.Address, "identity-mapped");
                Assert.True(PageFrameAllocator.Contains(large.PhysicalAddress), "from the page pool");
                foreach (byte b in large.Span)
                {
                    Assert.Equal((byte)0, b, "zeroed");
                }

                large.Span.Fill(0xA5);
                Assert.Equal(large.Address + 100, dma.ToVirtual(large.PhysicalAddress + 100), "ToVirtual inside a buffer");
                Assert.Equal((nint)0, dma.ToVirtual(large.PhysicalAddress + (64 * 1024)), "ToVirtual past the buffer");
                dma.Free(small);
                dma.Free(large);
                Assert.Equal(freeBefore, PageFrameAllocator.FreeBytes, "pages returned");
                Assert.Throws<System.ArgumentException>(() => dma.Free(large), "freeing twice");
                DmaBuffer again = dma.Allocate(64 * 1024, 64 * 1024);
                Assert.Equal((byte)0, again.Span[0], "a reused page is zeroed again");
                dma.Free(again);
            });
        }
    }
}
