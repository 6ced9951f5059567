using System.Runtime.CompilerServices;
using Cosmos.Core.Memory;
using Cosmos.Core.Plugs;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// The class library's frozen object heap (the <c>RuntimeType</c> objects <c>Type.GetTypeFromMethodTableSlow</c> makes,
    /// the first time a program asks for a type it has no preinitialised <c>Type</c> for, e.g. <c>Enum.ToString</c>):
    /// CoreLib reserves a 4 MiB segment with <c>mmap(PROT_NONE)</c> and commits it 64 KiB at a time with <c>mprotect</c>,
    /// which on Linux costs only the committed pages. The kernel maps every page of RAM once (identity), so there is no
    /// reservation without memory behind it: <c>SystemNative_MMap</c> would take all 4 MiB from the heap for a few hundred
    /// bytes of objects. Instead, frozen objects come from native chunks of one heap block each, allocated as they fill
    /// up, each registered with the collector as a frozen segment (so references in them would be roots).
    /// </summary>
    [Plug("Internal.Runtime.FrozenObjectHeapManager, System.Private.CoreLib")]
    public static unsafe class FrozenObjectHeapPlug
    {
        // One 64 KiB heap block less the page a large native allocation keeps for its header.
        private const ulong ChunkBytes = (64 - 4) * 1024;

        private static byte* s_chunk;
        private static byte* s_next;

        /// <summary>Bytes of frozen-object chunks taken from the heap so far.</summary>
        public static ulong ChunkBytesAllocated { get; private set; }

        /// <summary>
        /// <c>TryAllocateObject(MethodTable* type, nuint objectSize)</c>: an object of <paramref name="objectSize"/> bytes
        /// (its header word included, as <c>BaseSize</c> counts it) with its MethodTable set and its fields zero, that
        /// the collector never frees or moves; null when it is larger than a chunk or no memory is left (the caller then
        /// throws OutOfMemoryException, as it does when CoreLib's own segment cannot be reserved).
        /// </summary>
        [PlugMember]
        public static object? TryAllocateObject(object aThis, void* type, nuint objectSize)
        {
            ulong size = ((ulong)objectSize + 7) & ~7UL;
            if (size < (ulong)(2 * sizeof(nint)) || size > ChunkBytes - (ulong)sizeof(nint))
            {
                return null;
            }

            byte* header = TryBump(size);
            if (header == null)
            {
                // A new chunk is allocated with interrupts on: the heap may have to collect to find it.
                byte* chunk = EarlyHeap.Allocate(ChunkBytes);
                if (chunk == null)
                {
                    return null;
                }

                if (!Gc.Collector.RegisterFrozenSegment(chunk, ChunkBytes))
                {
                    EarlyHeap.Free(chunk);
                    return null;
                }

                ulong flags = Native.SaveFlagsAndDisableInterrupts();
                // The previous chunk's unused tail stays zero: the collector's walk of a segment ends at a null MethodTable.
                s_chunk = chunk;
                s_next = chunk;
                ChunkBytesAllocated += ChunkBytes;
                Native.RestoreFlags(flags);
                header = TryBump(size);
                if (header == null)
                {
                    return null;
                }
            }

            // The memory is zeroed (header word and fields); the MethodTable pointer follows the header.
            nint objectAddress = (nint)(header + sizeof(nint));
            *(void**)objectAddress = type;
            return Unsafe.As<nint, object>(ref objectAddress);
        }

        // Takes `size` bytes from the current chunk (one CPU: interrupts off is the whole of the locking), or null.
        private static byte* TryBump(ulong size)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            byte* header = null;
            // Keep one word spare at the end, so that the collector's walk finds the end of the segment inside it.
            if (s_chunk != null && (ulong)(s_next - s_chunk) + size + (ulong)sizeof(nint) <= ChunkBytes)
            {
                header = s_next;
                s_next += size;
            }

            Native.RestoreFlags(flags);
            return header;
        }
    }
}
