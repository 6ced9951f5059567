using System;
using System.Runtime;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// GC handles: a handle is the address of a slot holding the object (CoreLib reads through it).
    /// Slots live in unmanaged blocks so the collector can scan them as roots; a dependent handle
    /// uses two consecutive words (primary, secondary). Freed slots go on a free list.
    /// </summary>
    public static unsafe class Handles
    {
        private const int SlotsPerBlock = 1024;

        // Slot layout: [object][secondary][type][next-free]
        private const int SlotWords = 4;

        private static nint* s_freeList;
        private static int s_liveCount;

        /// <summary>Number of handles currently allocated.</summary>
        public static int LiveCount => s_liveCount;

        private static nint* AllocateSlot(object? value, nint type)
        {
            if (s_freeList == null)
            {
                nint* block = (nint*)EarlyHeap.Allocate((ulong)(SlotsPerBlock * SlotWords * sizeof(nint)));
                if (block == null)
                {
                    throw new OutOfMemoryException();
                }

                for (int i = SlotsPerBlock - 1; i >= 0; i--)
                {
                    nint* slot = block + (i * SlotWords);
                    slot[3] = (nint)s_freeList;
                    s_freeList = slot;
                }
            }

            nint* result = s_freeList;
            s_freeList = (nint*)result[3];
            result[0] = value is null ? 0 : Allocation.ObjectAddress(value);
            result[1] = 0;
            result[2] = type;
            result[3] = 0;
            s_liveCount++;
            return result;
        }

        [RuntimeExport("RhpHandleAlloc")]
        private static nint HandleAlloc(object? value, int type) => (nint)AllocateSlot(value, type);

        [RuntimeExport("RhpHandleAllocDependent")]
        private static nint HandleAllocDependent(object? primary, object? secondary)
        {
            nint* slot = AllocateSlot(primary, 6 /* GCHandleType.Dependent in the runtime */);
            slot[1] = secondary is null ? 0 : Allocation.ObjectAddress(secondary);
            return (nint)slot;
        }

        [RuntimeExport("RhHandleFree")]
        private static void HandleFree(nint handle)
        {
            nint* slot = (nint*)handle;
            if (slot == null)
            {
                return;
            }

            slot[0] = 0;
            slot[1] = 0;
            slot[3] = (nint)s_freeList;
            s_freeList = slot;
            s_liveCount--;
        }

        [RuntimeExport("RhHandleSet")]
        private static nint HandleSet(nint handle, object? value)
        {
            ((nint*)handle)[0] = value is null ? 0 : Allocation.ObjectAddress(value);
            return handle;
        }

        [RuntimeExport("RhHandleGetDependent")]
        private static object? HandleGetDependent(nint handle, nint* secondary)
        {
            nint* slot = (nint*)handle;
            *secondary = slot[1];
            nint primary = slot[0];
            return primary == 0 ? null : System.Runtime.CompilerServices.Unsafe.As<nint, object>(ref primary);
        }

        [RuntimeExport("RhHandleSetDependentSecondary")]
        private static void HandleSetDependentSecondary(nint handle, object? secondary)
        {
            ((nint*)handle)[1] = secondary is null ? 0 : Allocation.ObjectAddress(secondary);
        }
    }
}
