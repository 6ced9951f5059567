using System.Runtime;
using System.Runtime.InteropServices;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// Interface dispatch cells and their caches (docs/runtime-contract.md §3). A cell is
    /// {stub, cache}; before its first call the cache word holds a relative pointer to the
    /// interface MethodTable tagged in its low bits, and cells sharing a slot end in a terminator
    /// {0, type&lt;&lt;16 | slot}. After resolution the cache word points at an 8-entry cache that
    /// Asm/dispatch.asm searches inline: header {interface, slot&lt;&lt;2, -, count}, entries at 0x20.
    /// </summary>
    internal static unsafe class InterfaceDispatch
    {
        private const int CacheEntries = 8;
        private const int CacheEntriesOffset = 0x20;
        private const int CellTypeInterfaceAndSlot = 0, CellTypeMetadataToken = 1, CellTypeVTableOffset = 2;

        [StructLayout(LayoutKind.Explicit, Size = 0x20)]
        private struct DispatchCellInfo
        {
            [FieldOffset(0x00)] public int CellType;
            [FieldOffset(0x08)] public void* InterfaceType;
            [FieldOffset(0x10)] public ushort InterfaceSlot;
            [FieldOffset(0x12)] public byte HasCache;
            [FieldOffset(0x14)] public uint MetadataToken;
            [FieldOffset(0x18)] public uint VTableOffset;
        }

        private static bool IsCachePointer(ulong cacheWord) => (cacheWord & 3) == 0 && cacheWord >= 0x1000;

        [RuntimeExport("RhpGetDispatchCellInfo")]
        private static void GetDispatchCellInfo(ulong* cell, DispatchCellInfo* info)
        {
            *info = default;
            ulong cacheWord = cell[1];
            if ((cacheWord & ~0xFFCUL) == 0)
            {
                info->CellType = CellTypeVTableOffset;
                info->VTableOffset = (uint)cacheWord;
                info->HasCache = 1;
                return;
            }

            if (IsCachePointer(cacheWord))
            {
                byte* cache = (byte*)cacheWord;
                info->CellType = CellTypeInterfaceAndSlot;
                info->InterfaceType = *(void**)cache;
                info->InterfaceSlot = (ushort)(*(uint*)(cache + 8) >> 2);
                info->HasCache = 1;
                return;
            }

            ulong* terminator = cell;
            while (terminator[0] != 0)
            {
                terminator += 2;
            }

            info->CellType = (int)(terminator[1] >> 16);
            info->InterfaceSlot = (ushort)terminator[1];
            byte* cacheField = (byte*)(cell + 1);
            switch (cacheWord & 3)
            {
                case 1:
                    if (info->CellType == CellTypeMetadataToken)
                    {
                        info->MetadataToken = (uint)(cacheWord >> 2);
                    }
                    else
                    {
                        info->InterfaceType = (void*)(cacheWord & ~3UL);
                    }

                    break;
                case 2:
                    info->InterfaceType = *(void**)(cacheField + ((int)(uint)cacheWord & ~3));
                    break;
                case 3:
                    info->InterfaceType = cacheField + ((int)(uint)cacheWord & ~3);
                    break;
            }
        }

        [RuntimeExport("RhpSearchDispatchCellCache")]
        private static nint SearchDispatchCellCache(ulong* cell, void* instanceType)
        {
            ulong cacheWord = cell[1];
            if (!IsCachePointer(cacheWord))
            {
                return 0;
            }

            ulong* entries = (ulong*)((byte*)cacheWord + CacheEntriesOffset);
            for (int i = 0; i < CacheEntries; i++)
            {
                if (entries[i * 2] == (ulong)instanceType)
                {
                    return (nint)entries[(i * 2) + 1];
                }
            }

            return 0;
        }

        [RuntimeExport("RhpUpdateDispatchCellCache")]
        private static nint UpdateDispatchCellCache(ulong* cell, nint target, void* instanceType, DispatchCellInfo* info)
        {
            if (info->CellType != CellTypeInterfaceAndSlot)
            {
                return target;
            }

            ulong cacheWord = cell[1];
            byte* cache;
            if (IsCachePointer(cacheWord))
            {
                cache = (byte*)cacheWord;
            }
            else
            {
                cache = EarlyHeap.Allocate(CacheEntriesOffset + (CacheEntries * 16));
                if (cache == null)
                {
                    return target;     // no memory for a cache: stay on the slow path, still correct
                }

                *(void**)cache = info->InterfaceType;
                *(uint*)(cache + 8) = (uint)info->InterfaceSlot << 2;
                cell[1] = (ulong)cache;
            }

            uint* count = (uint*)(cache + 0x18);
            int index = (int)(*count % CacheEntries);
            (*count)++;
            ulong* entry = (ulong*)(cache + CacheEntriesOffset) + (index * 2);
            entry[0] = 0;                  // never a half-written entry that matches
            entry[1] = (ulong)target;
            entry[0] = (ulong)instanceType;
            return target;
        }
    }
}
