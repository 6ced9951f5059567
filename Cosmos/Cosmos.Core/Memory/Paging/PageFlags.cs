namespace Cosmos.Core.Memory
{
    /// <summary>Page-table entry bits (Intel SDM vol. 3 §4.5, tables 4-15 to 4-20).</summary>
    public static class PageFlags
    {
        /// <summary>P: the entry maps something.</summary>
        public const ulong Present = 1UL << 0;

        /// <summary>R/W: writes allowed.</summary>
        public const ulong Writable = 1UL << 1;

        /// <summary>PWT: write-through.</summary>
        public const ulong WriteThrough = 1UL << 3;

        /// <summary>PCD: cache disabled.</summary>
        public const ulong CacheDisable = 1UL << 4;

        /// <summary>PS: a 2 MiB (directory) or 1 GiB (PDPT) page rather than a pointer to a table.</summary>
        public const ulong LargePage = 1UL << 7;

        /// <summary>XD: no instruction fetches (EFER.NXE is on).</summary>
        public const ulong NoExecute = 1UL << 63;

        /// <summary>Bits 12-51: the physical address of the page or the next table.</summary>
        public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;

        /// <summary>Device registers: uncached (PCD|PWT selects PAT entry 3, UC, with the default PAT), never executed.</summary>
        public const ulong MmioAttributes = Present | Writable | WriteThrough | CacheDisable | NoExecute;

        /// <summary>Ordinary memory: write-back, never executed.</summary>
        public const ulong MemoryAttributes = Present | Writable | NoExecute;

        /// <summary>A pointer to a lower-level table: the leaf decides the rest.</summary>
        public const ulong TableAttributes = Present | Writable;
    }
}
