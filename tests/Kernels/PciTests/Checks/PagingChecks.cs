using Cosmos.Core.InterruptControllers;
using Cosmos.Core.Memory;
using Cosmos.TestKit;

namespace PciTests.Checks
{
    /// <summary>MMIO mappings: uncached attributes, 4 KiB and 2 MiB pages, addresses above 4 GiB.</summary>
    internal static class PagingChecks
    {
        private const ulong Uncached = PageFlags.CacheDisable | PageFlags.WriteThrough;

        public static void Register(TestRunner tests)
        {
            tests.Add("paging.local-apic-and-ioapic-uncached", () =>
            {
                ExpectMapped(LocalApic.PhysicalAddress, Uncached | PageFlags.NoExecute, "local APIC page");
                ExpectMapped(InterruptHardware.IoApics[0].PhysicalAddress, Uncached | PageFlags.NoExecute, "I/O APIC page");
            });

            tests.Add("paging.ram-stays-cached", () =>
            {
                // The kernel image and heap keep their boot mapping: splitting a neighbouring 2 MiB page must not change them.
                ulong flags = ExpectMapped(PhysicalMemory.HeapStart, PageFlags.Present | PageFlags.Writable, "heap");
                Assert.Equal(0UL, flags & Uncached, "heap page cache bits");
            });

            tests.Add("paging.map-4kib-pages-above-4gib", () =>
            {
                const ulong physical = 0x10_0000_3000;
                nint address = Paging.MapMmio(physical + 0x10, 0x2000);
                Assert.Equal(unchecked((nint)(physical + 0x10)), address, "identity mapping");
                ulong flags = ExpectMapped(physical + 0x1FFF, Uncached | PageFlags.NoExecute, "second page");
                Assert.Equal(0UL, flags & PageFlags.LargePage, "4 KiB page");
                Assert.False(Paging.TryTranslate(physical + 0x3000, out _, out _), "the page after the range stays unmapped");
            });

            tests.Add("paging.map-2mib-pages-above-4gib", () =>
            {
                const ulong physical = 0x20_0000_0000;
                Paging.MapMmio(physical, 4UL << 20);
                ulong flags = ExpectMapped(physical + (3UL << 20), Uncached, "second 2 MiB page");
                Assert.Equal(PageFlags.LargePage, flags & PageFlags.LargePage, "2 MiB page");
            });

            tests.Add("paging.frame-pool-outside-heap", () =>
            {
                Assert.True(PageFrameAllocator.PoolBytes >= (4UL << 20), $"page pool of {PageFrameAllocator.PoolBytes} bytes");
                Assert.True(PageFrameAllocator.PoolStart >= PhysicalMemory.HeapStart + PhysicalMemory.HeapLength,
                    $"pool at 0x{PageFrameAllocator.PoolStart:x} lies above the heap 0x{PhysicalMemory.HeapStart:x}+0x{PhysicalMemory.HeapLength:x}");
            });
        }

        private static ulong ExpectMapped(ulong address, ulong requiredFlags, string what)
        {
            Assert.True(Paging.TryTranslate(address, out ulong physical, out ulong flags), what + " is mapped");
            Assert.Equal(address, physical, what + " identity-mapped");
            Assert.Equal(requiredFlags, flags & requiredFlags, $"{what} entry flags 0x{flags:x}");
            return flags;
        }
    }
}
