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

        // Slot layout: [object][secondary][type][next-free]; a free slot's type is FreeType. A block starts with
        // one slot's worth of header: [next block][unused]...
        private const int SlotWords = 4;
        private const nint FreeType = -1;

        /// <summary>GCHandleType values as the class library passes them.</summary>
        public const int Weak = 0, WeakTrackResurrection = 1, Normal = 2, Pinned = 3, Dependent = 6;

        private static nint* s_freeList;
        private static nint* s_blocks;
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

                ulong blockFlags = Native.SaveFlagsAndDisableInterrupts();
                block[0] = (nint)s_blocks;
                s_blocks = block;
                for (int i = SlotsPerBlock - 1; i >= 1; i--)
                {
                    nint* slot = block + (i * SlotWords);
                    slot[2] = FreeType;
                    slot[3] = (nint)s_freeList;
                    s_freeList = slot;
                }

                Native.RestoreFlags(blockFlags);
            }

            // Another thread may have run between the test and here: the list is read again with interrupts off.
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            nint* result = s_freeList;
            if (result == null)
            {
                Native.RestoreFlags(flags);
                return AllocateSlot(value, type);
            }

            s_freeList = (nint*)result[3];
            result[0] = value is null ? 0 : Allocation.ObjectAddress(value);
            result[1] = 0;
            result[2] = type;
            result[3] = 0;
            s_liveCount++;
            Native.RestoreFlags(flags);
            return result;
        }

        /// <summary>
        /// Calls <paramref name="visit"/> with every handle in use: the address of its slot ([0] object,
        /// [1] dependent secondary) and its type.
        /// </summary>
        public static void ForEach(delegate*<nint*, int, void> visit)
        {
            for (nint* block = s_blocks; block != null; block = (nint*)block[0])
            {
                for (int i = 1; i < SlotsPerBlock; i++)
                {
                    nint* slot = block + (i * SlotWords);
                    if (slot[2] != FreeType)
                    {
                        visit(slot, (int)slot[2]);
                    }
                }
            }
        }

        /// <summary>
        /// How many handles in use have no target: weak and dependent handles whose object the collector took and that
        /// their owner has not freed (diagnostics: such handles only ever grow the table).
        /// </summary>
        public static int CountWithoutTarget()
        {
            int count = 0;
            for (nint* block = s_blocks; block != null; block = (nint*)block[0])
            {
                for (int i = 1; i < SlotsPerBlock; i++)
                {
                    nint* slot = block + (i * SlotWords);
                    if (slot[2] != FreeType && slot[0] == 0)
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        /// <summary>True when <paramref name="address"/> lies in a handle block (the collector scans those as handles, not as data).</summary>
        public static bool IsInHandleBlock(void* address)
        {
            for (nint* block = s_blocks; block != null; block = (nint*)block[0])
            {
                if (address >= block && address < block + (SlotsPerBlock * SlotWords))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A handle of <paramref name="type"/> to <paramref name="value"/>, for kernel code (a GCHandle's value).</summary>
        public static nint Allocate(object? value, int type) => HandleAlloc(value, type);

        /// <summary>Frees a handle from <see cref="Allocate"/>.</summary>
        public static void Free(nint handle) => HandleFree(handle);

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

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            slot[0] = 0;
            slot[1] = 0;
            slot[2] = FreeType;
            slot[3] = (nint)s_freeList;
            s_freeList = slot;
            s_liveCount--;
            Native.RestoreFlags(flags);
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
