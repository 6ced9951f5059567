using System;
using System.Runtime;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// Module registration for the one module ILC links into the kernel: the ReadyToRun header
    /// (signature 'RTR', then {u32 id, u32 flags, ptr start, ptr end} entries) and the class
    /// library's function table that the exception dispatcher asks for.
    /// </summary>
    internal static unsafe class TypeManager
    {
        private const uint ReadyToRunSignature = 0x00525452;

        // One module: primitive statics only, because these run inside InitializeModules.
        private static nint s_osModule;
        private static byte* s_header;
        private static nint* s_classlibFunctions;
        private static int s_classlibFunctionCount;
        private static nint s_handleStorage;

        [RuntimeExport("RhpRegisterOsModule")]
        private static nint RegisterOsModule(nint osModule)
        {
            s_osModule = osModule;
            return osModule;
        }

        [RuntimeExport("RhpCreateTypeManager")]
        private static nint CreateTypeManager(nint osModule, nint moduleHeader, nint* classlibFunctions, int classlibFunctionCount)
        {
            byte* header = (byte*)moduleHeader;
            if (*(uint*)header != ReadyToRunSignature)
            {
                Panic.Halt("module header has no ReadyToRun signature", *(uint*)header);
            }

            s_header = header;
            s_classlibFunctions = classlibFunctions;
            s_classlibFunctionCount = classlibFunctionCount;
            // The handle is the address of a word that identifies the module to us.
            s_handleStorage = moduleHeader;
            fixed (nint* handle = &s_handleStorage)
            {
                return (nint)handle;
            }
        }

        /// <summary>RhpGetModuleSection receives a pointer to the TypeManagerHandle.</summary>
        [RuntimeExport("RhpGetModuleSection")]
        private static nint GetModuleSection(nint* typeManager, int sectionId, int* length)
        {
            byte* header = s_header;
            ushort sectionCount = *(ushort*)(header + 12);
            byte entrySize = header[14];
            byte* entry = header + 16;
            for (int i = 0; i < sectionCount; i++, entry += entrySize)
            {
                if (*(int*)entry == sectionId)
                {
                    byte* start = *(byte**)(entry + 8);
                    byte* end = *(byte**)(entry + 16);
                    *length = (int)(end - start);
                    return (nint)start;
                }
            }

            *length = 0;
            return 0;
        }

        [RuntimeExport("RhpGetClasslibFunctionFromCodeAddress")]
        private static void* ClasslibFunctionFromCodeAddress(nint address, int id) => ClasslibFunction(id);

        [RuntimeExport("RhpGetClasslibFunctionFromEEType")]
        private static void* ClasslibFunctionFromEEType(MethodTable* type, int id) => ClasslibFunction(id);

        internal static void* ClasslibFunction(int id) =>
            id >= 0 && id < s_classlibFunctionCount ? (void*)s_classlibFunctions[id] : null;

        [RuntimeExport("RhRegisterFrozenSegment")]
        private static nint RegisterFrozenSegment(void* start, nuint allocSize, nuint commitSize, nuint reservedSize) => (nint)start;

        [RuntimeExport("RhUpdateFrozenSegment")]
        private static void UpdateFrozenSegment(nint segment, void* allocated, void* committed)
        {
        }

        [RuntimeExport("RhGetOSModuleFromPointer")]
        private static nint OsModuleFromPointer(nint pointer) => s_osModule;

        [RuntimeExport("RhGetModuleFileName")]
        private static int ModuleFileName(nint module, byte** name)
        {
            *name = null;
            return 0;
        }
    }
}
