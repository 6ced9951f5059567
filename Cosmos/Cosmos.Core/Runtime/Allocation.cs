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

        // The full paths behind Asm/allocation.asm's RhpNewFast, RhpNewArrayFast/RhpNewPtrArrayFast and
        // RhNewString, which take objects of up to 256 bytes from their size class's allocation window.
        [RuntimeExport("cosmos_new_slow")]
        private static object NewSlow(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("cosmos_new_array_slow")]
        private static object NewArraySlow(MethodTable* type, int length) => AllocateArray(type, length);

        [RuntimeExport("RhpNewFinalizable")]
        private static object NewFinalizable(MethodTable* type)
        {
            object value = AllocateObject(type, type->BaseSize);
            Gc.Finalization.Register(value);
            return value;
        }

        [RuntimeExport("cosmos_new_string_slow")]
        private static object NewStringSlow(MethodTable* type, nint length)
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
            return AllocateObject(type, size, length);
        }

        private static object AllocateObject(MethodTable* type, ulong size, int length = -1)
        {
            object? result = TryAllocateObject(type, size, length);
            if (result == null && GcHeap.IsInitialized && Gc.Collector.Collect())
            {
                result = TryAllocateObject(type, size, length);
            }

            return result ?? throw new OutOfMemoryException();
        }

        // Memory and MethodTable (and an array's length) in one step with interrupts off: a collection started
        // by another thread never meets an allocated slot that is not yet an object. Null when there is no room.
        private static object? TryAllocateObject(MethodTable* type, ulong size, int length)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            byte* memory = GcHeap.IsInitialized ? GcHeap.AllocateObjectInterruptsOff(size) : EarlyHeap.Allocate(size);
            nint objectAddress = 0;
            if (memory != null)
            {
                objectAddress = (nint)(memory + ObjectHeaderSize);
                *(MethodTable**)objectAddress = type;
                if (length >= 0)
                {
                    // Arrays and strings keep their length right after the MethodTable pointer.
                    *(int*)(objectAddress + sizeof(nint)) = length;
                }
            }

            object? result = Unsafe.As<nint, object?>(ref objectAddress);
            Native.RestoreFlags(flags);
            return result;
        }

        internal static nint ObjectAddress(object value) => Unsafe.As<object, nint>(ref value);
    }
}
