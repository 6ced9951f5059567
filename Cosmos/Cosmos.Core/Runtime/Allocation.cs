using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// The allocation exports ILC-generated code and CoreLib call. An object reference points at
    /// the MethodTable word; the header word (sync block) sits just before it and is part of
    /// BaseSize, so an allocation of n bytes at p yields the object p + 8.
    /// </summary>
    internal static unsafe class Allocation
    {
        private const int ObjectHeaderSize = 8;
        private const uint GcAllocFlagFinalize = 0x10;   // GC_ALLOC_FINALIZE, from gcinterface.h

        [RuntimeExport("RhpNewFast")]
        private static object NewFast(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewFinalizable")]
        private static object NewFinalizable(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewArrayFast")]
        private static object NewArrayFast(MethodTable* type, int length) => AllocateArray(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static object NewPtrArrayFast(MethodTable* type, int length) => AllocateArray(type, length);

        [RuntimeExport("RhNewString")]
        private static object NewString(MethodTable* type, nint length)
        {
            if (length < 0 || length > int.MaxValue)
            {
                throw new OverflowException();
            }

            return AllocateArray(type, (int)length);
        }

        // RhAllocateNewObject(MethodTable*, uint flags, void* pResult): result written through pResult.
        [RuntimeExport("RhAllocateNewObject")]
        private static void AllocateNewObject(MethodTable* type, uint flags, nint* result)
        {
            *result = ObjectAddress(AllocateObject(type, type->BaseSize));
        }

        [RuntimeExport("RhAllocateNewArray")]
        private static void AllocateNewArray(MethodTable* type, uint length, uint flags, nint* result)
        {
            if (length > int.MaxValue)
            {
                throw new OverflowException();
            }

            *result = ObjectAddress(AllocateArray(type, (int)length));
        }

        private static object AllocateArray(MethodTable* type, int length)
        {
            if (length < 0)
            {
                throw new OverflowException();
            }

            ulong size = type->BaseSize + (ulong)type->ComponentSize * (ulong)length;
            object array = AllocateObject(type, size);
            // Arrays and strings keep their length right after the MethodTable pointer.
            *(int*)((byte*)ObjectAddress(array) + sizeof(nint)) = length;
            return array;
        }

        private static object AllocateObject(MethodTable* type, ulong size)
        {
            byte* memory = AllocateMemory(size);
            if (memory == null)
            {
                throw new OutOfMemoryException();
            }

            nint objectAddress = (nint)(memory + ObjectHeaderSize);
            *(MethodTable**)objectAddress = type;
            return Unsafe.As<nint, object>(ref objectAddress);
        }

        internal static nint ObjectAddress(object value) => Unsafe.As<object, nint>(ref value);

        // Zeroed memory for an object: from the early region until the heap is up, then from the heap, collecting
        // once when it is full. Null means out of memory even after a collection.
        private static byte* AllocateMemory(ulong size)
        {
            if (!GcHeap.IsInitialized)
            {
                return EarlyHeap.Allocate(size);
            }

            byte* memory = GcHeap.AllocateObject(size);
            if (memory == null && Gc.Collector.Collect())
            {
                memory = GcHeap.AllocateObject(size);
            }

            return memory;
        }
    }
}
