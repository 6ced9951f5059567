using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// The managed heap before the garbage collector exists: a bump allocator over regions of
    /// physical memory. It starts on a region reserved in the kernel image (InitializeModules
    /// allocates before the memory map has been read) and grows onto usable RAM that
    /// <see cref="PhysicalMemory"/> hands it. Only primitive statics: usable before module init.
    /// </summary>
    public static unsafe class EarlyHeap
    {
        private static byte* s_next;
        private static byte* s_limit;
        private static ulong s_allocatedBytes;
        private static ulong s_regionBytes;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_early_heap_bounds")]
        private static extern byte* EarlyRegion(byte** end);

        /// <summary>Bytes handed out so far.</summary>
        public static ulong AllocatedBytes => s_allocatedBytes;

        /// <summary>Bytes of all regions the heap has been given.</summary>
        public static ulong TotalBytes => s_regionBytes;

        /// <summary>Bytes left in the current region.</summary>
        public static ulong FreeBytesInRegion => (ulong)(s_limit - s_next);

        /// <summary>Moves the heap onto a fresh region of memory (the rest of the old one is abandoned).</summary>
        public static void AddRegion(byte* start, ulong length)
        {
            s_next = start;
            s_limit = start + length;
            s_regionBytes += length;
        }

        /// <summary>Returns zeroed, 8-byte-aligned memory or null when the heap is exhausted.</summary>
        public static byte* Allocate(ulong byteCount)
        {
            if (s_limit == null)
            {
                byte* end;
                byte* start = EarlyRegion(&end);
                AddRegion(start, (ulong)(end - start));
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
    }
}
