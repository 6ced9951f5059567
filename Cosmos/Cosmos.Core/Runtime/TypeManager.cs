using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        private const int GcStaticRegionSection = 201, ThreadStaticRegionSection = 202;

        // One module: primitive statics only, because these run inside InitializeModules.
        private static nint s_osModule;
        private static byte* s_header;
        private static nint* s_classlibFunctions;
        private static int s_classlibFunctionCount;
        private static TypeManagerBlock s_typeManager;

        /// <summary>
        /// NativeAOT's TypeManager as RhpCreateTypeManager allocates it (docs/runtime-contract.md §4).
        /// CoreLib reads the first two words as TypeManager{OsHandle, ReadyToRunHeader}: the stack
        /// trace metadata matches OsHandle against RhGetOSModuleFromPointer, so it must be the OS module.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        private struct TypeManagerBlock
        {
            public nint OsModule;
            public nint Header;
            public nint GcStaticRegion;
            public nint ThreadStaticRegion;
            public nint ClasslibFunctions;
            public int ClasslibFunctionCount;
        }

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
            s_typeManager.OsModule = osModule;
            s_typeManager.Header = moduleHeader;
            s_typeManager.GcStaticRegion = FindSection(GcStaticRegionSection);
            s_typeManager.ThreadStaticRegion = FindSection(ThreadStaticRegionSection);
            s_typeManager.ClasslibFunctions = (nint)classlibFunctions;
            s_typeManager.ClasslibFunctionCount = classlibFunctionCount;
            fixed (TypeManagerBlock* typeManager = &s_typeManager)
            {
                return (nint)typeManager;
            }
        }

        private static nint FindSection(int sectionId)
        {
            int length;
            return GetModuleSection(null, sectionId, &length);
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
        private static nint RegisterFrozenSegment(void* start, nuint allocSize, nuint commitSize, nuint reservedSize)
        {
            Gc.Collector.RegisterFrozenSegment((byte*)start, allocSize);
            return (nint)start;
        }

        [RuntimeExport("RhUpdateFrozenSegment")]
        private static void UpdateFrozenSegment(nint segment, void* allocated, void* committed)
        {
        }

        [RuntimeExport("RhGetOSModuleFromPointer")]
        private static nint OsModuleFromPointer(nint pointer) => s_osModule;

        /// <summary>
        /// The module's file name in UTF-8 (without the NUL). CoreLib decodes it whenever a stack
        /// frame has no method name, so a null name would make ToString of a stack trace throw.
        /// </summary>
        [RuntimeExport("RhGetModuleFileName")]
        private static int ModuleFileName(nint module, byte** name)
        {
            ReadOnlySpan<byte> fileName = "kernel.elf\0"u8;
            *name = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(fileName));
            return fileName.Length - 1;
        }
    }
}
