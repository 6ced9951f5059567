using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.Boot;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// Physical memory as the boot map describes it. At start-up the managed heap moves onto the
    /// largest usable range that lies inside the identity-mapped first 4 GiB and outside the kernel
    /// image, less a pool at its top that <see cref="PageFrameAllocator"/> hands out as page frames
    /// (page tables, DMA memory): memory the garbage collector will never own.
    /// </summary>
    public static unsafe class PhysicalMemory
    {
        /// <summary>Everything below this is identity-mapped by the boot page tables.</summary>
        public const ulong IdentityMappedLimit = 4UL << 30;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_kernel_bounds")]
        private static extern ulong KernelBounds(ulong* end);

        /// <summary>Physical address of the first byte of the kernel image.</summary>
        public static ulong KernelStart { get; private set; }

        /// <summary>One past the last byte of the kernel image (including bss).</summary>
        public static ulong KernelEnd { get; private set; }

        /// <summary>Start of the range the heap lives in.</summary>
        public static ulong HeapStart { get; private set; }

        /// <summary>Length of the range the heap lives in.</summary>
        public static ulong HeapLength { get; private set; }

        /// <summary>Smallest and largest page pool: room for page tables, virtqueues and a framebuffer.</summary>
        private const ulong MinimumPagePool = 4UL << 20, MaximumPagePool = 32UL << 20;

        // A sixteenth of the range, within the bounds above, in whole 2 MiB units (never more than a quarter).
        private static ulong PagePoolBytes(ulong rangeBytes)
        {
            ulong bytes = rangeBytes / 16;
            bytes = bytes < MinimumPagePool ? MinimumPagePool : bytes > MaximumPagePool ? MaximumPagePool : bytes;
            if (bytes > rangeBytes / 4)
            {
                bytes = rangeBytes / 4;
            }

            return bytes >= (2UL << 20) ? bytes & ~((2UL << 20) - 1) : bytes & ~0xFFFUL;
        }

        /// <summary>Picks the heap range from the memory map and hands it to the heap.</summary>
        public static void Initialize(BootInfo info)
        {
            ulong kernelEnd;
            KernelStart = KernelBounds(&kernelEnd);
            KernelEnd = kernelEnd;

            ulong bestStart = 0, bestLength = 0;
            foreach (MemoryRange range in info.MemoryMap)
            {
                if (range.Type != MemoryRangeType.Usable)
                {
                    continue;
                }

                ulong start = range.Start < 0x100000 ? 0x100000 : range.Start;
                ulong end = range.End > IdentityMappedLimit ? IdentityMappedLimit : range.End;
                if (start < KernelEnd && end > KernelStart)
                {
                    start = KernelEnd;          // the kernel sits at the bottom of the range
                }

                start = (start + 0xFFF) & ~0xFFFUL;
                if (end > start && end - start > bestLength)
                {
                    bestStart = start;
                    bestLength = end - start;
                }
            }

            if (bestLength > 0)
            {
                ulong poolBytes = PagePoolBytes(bestLength);
                ulong poolStart = (bestStart + bestLength - poolBytes) & ~0xFFFUL;
                PageFrameAllocator.Initialize(poolStart, poolBytes);
                bestLength = poolStart - bestStart;
                HeapStart = bestStart;
                HeapLength = bestLength;
                GcHeap.Initialize((byte*)bestStart, bestLength);
                Runtime.Gc.Collector.ReserveMarkStacks();
            }
        }
    }
}
