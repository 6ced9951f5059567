using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// Memory outside the collector's reach. Until <see cref="GcHeap"/> owns physical memory it is a bump
    /// allocator over a region reserved in the kernel image, which also serves the first managed objects
    /// (InitializeModules allocates before the memory map has been read). Once the heap is up, requests go
    /// to its native space and can be freed. The early region's objects (static bases among them) live
    /// forever; the collector scans the used part of the region for references. Only primitive statics:
    /// usable before module initialisation.
    /// </summary>
    public static unsafe class EarlyHeap
    {
        private static byte* s_start;
        private static byte* s_next;
        private static byte* s_limit;
        private static ulong s_allocatedBytes;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_early_heap_bounds")]
        private static extern byte* EarlyRegion(byte** end);

        /// <summary>Bytes handed out from the early region.</summary>
        public static ulong AllocatedBytes => s_allocatedBytes;

        /// <summary>First byte of the early region (null before the first allocation).</summary>
        public static byte* RegionStart => s_start;

        /// <summary>One past the last byte handed out from the early region.</summary>
        public static byte* RegionUsedEnd => s_next;

        /// <summary>Returns zeroed, 8-byte-aligned memory (16-byte once the heap is up), or null when there is none.</summary>
        public static byte* Allocate(ulong byteCount)
        {
            if (GcHeap.IsInitialized)
            {
                // Native memory shares the heap's blocks: when garbage fills them, a collection makes room.
                byte* native = GcHeap.AllocateNative(byteCount);
                if (native == null && Runtime.Gc.Collector.Collect())
                {
                    native = GcHeap.AllocateNative(byteCount);
                }

                return native;
            }

            if (s_limit == null)
            {
                byte* end;
                s_start = EarlyRegion(&end);
                s_next = s_start;
                s_limit = end;
            }

            byteCount = (byteCount + 7) & ~7UL;
            // Interrupt handlers run managed code that may allocate: the bump is done with interrupts off.
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            if ((ulong)(s_limit - s_next) < byteCount || byteCount > int.MaxValue)
            {
                Native.RestoreFlags(flags);
                return null;
            }

            byte* result = s_next;
            s_next += byteCount;
            s_allocatedBytes += byteCount;
            Native.RestoreFlags(flags);
            new System.Span<byte>(result, (int)byteCount).Clear();
            return result;
        }

        /// <summary>Frees memory from <see cref="Allocate"/> when it came from the heap's native space; early memory stays.</summary>
        public static void Free(void* memory)
        {
            if (memory != null)
            {
                GcHeap.FreeNative(memory);
            }
        }
    }
}
