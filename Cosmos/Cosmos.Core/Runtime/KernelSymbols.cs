using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// The kernel's own symbol table, linked into the image by the build (section .cosmos_symbols):
    /// u64 count, then count × {u64 address, u32 nameOffset, u32 reserved} sorted by address,
    /// then NUL-terminated names. Lets panics name methods without any allocation.
    /// </summary>
    public static unsafe class KernelSymbols
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_symbol_table")]
        private static extern byte* Table(ulong* length);

        private static ulong EntryAddress(byte* entry, byte* unused) => *(ulong*)entry;

        /// <summary>Finds the symbol containing <paramref name="address"/>; false outside the image's code (a wild jump's target is no method).</summary>
        public static bool TryFind(ulong address, out byte* name, out ulong start)
        {
            name = null;
            start = 0;
            if (!Memory.Paging.IsKernelCode(address))
            {
                return false;
            }

            ulong length;
            byte* table = Table(&length);
            if (table == null || length < 8)
            {
                return false;
            }

            ulong count = *(ulong*)table;
            if (8 + (count * 16) > length)
            {
                return false;
            }

            byte* entries = table + 8;
            byte* names = entries + (count * 16);
            long found = SortedTable.FindLastAtOrBelow(entries, (long)count, 16, address, null, &EntryAddress);
            if (found < 0)
            {
                return false;
            }

            start = *(ulong*)(entries + (found * 16));
            name = names + *(uint*)(entries + (found * 16) + 8);
            return true;
        }
    }
}
