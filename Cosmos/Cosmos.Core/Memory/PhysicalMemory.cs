using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.Boot;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// Physical memory as the boot map describes it. At start-up the managed heap moves onto the
    /// largest usable range that lies inside the identity-mapped first 4 GiB and outside the kernel image.
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
                HeapStart = bestStart;
                HeapLength = bestLength;
                EarlyHeap.AddRegion((byte*)bestStart, bestLength);
            }
        }
    }
}
