using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// Exports the type loader and reflection (enum names, stack trace metadata, Type.GetType)
    /// ask of the runtime: read-only blobs, code-pointer questions, GC descriptor sizes and
    /// dispatch cells made at run time.
    /// </summary>
    internal static unsafe class ReflectionSupport
    {
        private const int ReadonlyBlobRegionStart = 300;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("RhpGetModuleSection")]
        private static extern byte* GetModuleSection(nint* typeManager, int sectionId, int* length);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_initial_dispatch_stub")]
        private static extern nint InitialDispatchStub();

        /// <summary>Blob <paramref name="blobId"/> is ReadyToRun section 300 + id.</summary>
        [RuntimeExport("RhFindBlob")]
        private static bool FindBlob(nint* typeManager, uint blobId, byte** blob, uint* length)
        {
            int sectionLength;
            byte* section = GetModuleSection(typeManager, (int)(ReadonlyBlobRegionStart + blobId), &sectionLength);
            *blob = section;
            *length = (uint)sectionLength;
            return section != null;
        }

        /// <summary>Code addresses in this image are direct: no jump stubs to see through.</summary>
        [RuntimeExport("RhGetCodeTarget")]
        private static nint CodeTarget(nint codeAddress) => codeAddress;

        [RuntimeExport("RhGetTargetOfUnboxingAndInstantiatingStub")]
        private static nint TargetOfUnboxingAndInstantiatingStub(nint codeAddress) => 0;

        /// <summary>Size of the GCDesc that precedes a MethodTable with pointers (gcdesc.h).</summary>
        [RuntimeExport("RhGetGCDescSize")]
        private static int GCDescSize(MethodTable* type)
        {
            const uint HasPointersFlag = 0x01000000;
            if ((type->Flags & HasPointersFlag) == 0)
            {
                return 0;
            }

            long seriesCount = *((long*)type - 1);
            return seriesCount >= 0
                ? (int)(8 + (seriesCount * 16))
                : (int)(8 + 8 + (-seriesCount * 8));
        }

        /// <summary>Every object is in generation 0 until the collector has generations.</summary>
        [RuntimeExport("RhGetGeneration")]
        private static int Generation(object value) => 0;

        /// <summary>A dispatch cell made at run time: {stub, interface|1} then a terminator {0, slot}.</summary>
        [RuntimeExport("RhNewInterfaceDispatchCell")]
        private static nint NewInterfaceDispatchCell(MethodTable* interfaceType, int slot)
        {
            ulong* cell = (ulong*)EarlyHeap.Allocate(32);
            if (cell == null)
            {
                return 0;
            }

            cell[0] = (ulong)InitialDispatchStub();
            cell[1] = (ulong)interfaceType | 1;
            cell[2] = 0;
            cell[3] = (uint)slot;
            return (nint)cell;
        }

        // Registration of stack-allocated GC roots: nothing to record without a collector.
        [RuntimeExport("RhRegisterForGCReporting")]
        private static void RegisterForGCReporting(void* registration)
        {
        }

        [RuntimeExport("RhUnregisterForGCReporting")]
        private static void UnregisterForGCReporting(void* registration)
        {
        }
    }
}
