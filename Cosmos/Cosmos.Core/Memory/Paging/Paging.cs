using System;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// Maps physical ranges into the kernel's address space, identity-mapped (virtual = physical):
    /// device registers uncached (PCD|PWT, no execute), firmware tables cached. The boot page tables
    /// (Asm/boot.asm) cover the first 4 GiB with 2 MiB pages; a mapping there changes the attributes
    /// of the pages it covers (splitting a 2 MiB page into 4 KiB pages where the range covers only
    /// part of it), and a mapping above 4 GiB builds the missing tables from
    /// <see cref="PageFrameAllocator"/> frames. Intel SDM vol. 3 §4.5 (4-level paging).
    /// </summary>
    public static unsafe partial class Paging
    {
        private const ulong SmallPage = 4096, LargePage = 2UL << 20;

        /// <summary>Where the last mapping went wrong, for diagnostics (null when none did).</summary>
        public static string? LastError { get; private set; }

        /// <summary>
        /// Maps device registers at <paramref name="physicalAddress"/> uncached and returns the
        /// address the kernel uses (the same: identity mapping). Whole 4 KiB pages are mapped.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Empty, wrapping, or beyond the CPU's physical address width.</exception>
        /// <exception cref="OutOfMemoryException">No frame left for a page table.</exception>
        public static nint MapMmio(ulong physicalAddress, ulong length) => Map(physicalAddress, length, PageFlags.MmioAttributes);

        /// <summary>Maps ordinary memory (firmware tables) write-back cacheable; returns the kernel address.</summary>
        public static nint MapMemory(ulong physicalAddress, ulong length) => Map(physicalAddress, length, PageFlags.MemoryAttributes);

        /// <summary>The CPU's physical address width (CPUID 0x80000008), 36 when it does not say.</summary>
        public static int PhysicalAddressBits
        {
            get
            {
                uint* registers = stackalloc uint[4];
                Native.CpuId(0x80000000, 0, registers);
                if (registers[0] < 0x80000008)
                {
                    return 36;
                }

                Native.CpuId(0x80000008, 0, registers);
                return (int)(registers[0] & 0xFF);
            }
        }

        /// <summary>
        /// Walks the page tables for <paramref name="virtualAddress"/>: the physical address and the
        /// flags of the entry that maps it (the leaf, 4 KiB or 2 MiB), or false when it is not mapped.
        /// </summary>
        public static bool TryTranslate(ulong virtualAddress, out ulong physicalAddress, out ulong entryFlags)
        {
            physicalAddress = 0;
            entryFlags = 0;
            ulong* table = (ulong*)(Native.ReadCr3() & PageFlags.AddressMask);
            for (int level = 3; level >= 0; level--)
            {
                ulong entry = table[Index(virtualAddress, level)];
                if ((entry & PageFlags.Present) == 0)
                {
                    return false;
                }

                bool leaf = level == 0 || (level <= 2 && (entry & PageFlags.LargePage) != 0);
                if (leaf)
                {
                    ulong pageSize = 1UL << (12 + (9 * level));
                    physicalAddress = (entry & PageFlags.AddressMask & ~(pageSize - 1)) + (virtualAddress & (pageSize - 1));
                    entryFlags = entry & ~PageFlags.AddressMask;
                    return true;
                }

                table = (ulong*)(entry & PageFlags.AddressMask);
            }

            return false;
        }

        /// <summary>
        /// Makes the 4 KiB page at <paramref name="pageAddress"/> (page-aligned, identity-mapped) absent or
        /// present again, splitting a large page where needed: stack guard pages, so that running off a stack
        /// faults instead of overwriting what lies below it.
        /// </summary>
        public static void SetPresent(ulong pageAddress, bool present)
        {
            if ((pageAddress & (SmallPage - 1)) != 0)
            {
                throw new ArgumentException($"0x{pageAddress:x} is not page-aligned", nameof(pageAddress));
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                ulong* pageTable = Table(pageAddress, level: 0);
                ref ulong entry = ref pageTable[Index(pageAddress, 0)];
                entry = present ? entry | PageFlags.Present : entry & ~PageFlags.Present;
                Native.InvalidatePage(pageAddress);
            }
            finally
            {
                Native.RestoreFlags(flags);
            }
        }

        private static nint Map(ulong physicalAddress, ulong length, ulong attributes)
        {
            ulong end = physicalAddress + length;
            int bits = PhysicalAddressBits;
            if (length == 0 || end < physicalAddress || (bits < 64 && end > (1UL << bits)))
            {
                throw new ArgumentOutOfRangeException(nameof(length),
                    $"cannot map 0x{physicalAddress:x}+0x{length:x}: the CPU addresses {bits} bits of physical memory");
            }

            ulong address = physicalAddress & ~(SmallPage - 1);
            end = (end + SmallPage - 1) & ~(SmallPage - 1);
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                while (address < end)
                {
                    ulong* directory = Table(address, level: 1);
                    ref ulong directoryEntry = ref directory[Index(address, 1)];
                    bool pointsAtTable = (directoryEntry & PageFlags.Present) != 0 && (directoryEntry & PageFlags.LargePage) == 0;
                    if ((address & (LargePage - 1)) == 0 && end - address >= LargePage && !pointsAtTable)
                    {
                        directoryEntry = address | attributes | PageFlags.LargePage;
                        address += LargePage;
                        continue;
                    }

                    ulong* pageTable = Table(address, level: 0);
                    pageTable[Index(address, 0)] = address | attributes;
                    address += SmallPage;
                }
            }
            finally
            {
                // Reloading CR3 drops every cached translation and paging-structure entry (no global pages are used).
                Native.WriteCr3(Native.ReadCr3());
                Native.RestoreFlags(flags);
            }

            return (nint)physicalAddress;
        }

        private static int Index(ulong address, int level) => (int)((address >> (12 + (9 * level))) & 511);

        /// <summary>
        /// The table at <paramref name="level"/> (0 = page table, 1 = page directory) that maps
        /// <paramref name="address"/>, creating missing tables and splitting large pages on the way.
        /// </summary>
        private static ulong* Table(ulong address, int level)
        {
            ulong* table = (ulong*)(Native.ReadCr3() & PageFlags.AddressMask);
            for (int current = 3; current > level; current--)
            {
                ref ulong entry = ref table[Index(address, current)];
                if ((entry & PageFlags.Present) == 0)
                {
                    entry = NewTable() | PageFlags.TableAttributes;
                }
                else if ((entry & PageFlags.LargePage) != 0)
                {
                    entry = Split(entry, current) | PageFlags.TableAttributes;
                }

                table = (ulong*)(entry & PageFlags.AddressMask);
            }

            return table;
        }

        // A table of 512 entries that together map what the large page at `level` mapped, same attributes.
        private static ulong Split(ulong largeEntry, int level)
        {
            ulong childSize = 1UL << (12 + (9 * (level - 1)));
            ulong baseAddress = largeEntry & PageFlags.AddressMask & ~((childSize * 512) - 1);
            ulong attributes = largeEntry & ~PageFlags.AddressMask & ~PageFlags.LargePage;
            if (level - 1 > 0)
            {
                attributes |= PageFlags.LargePage;
            }

            ulong tableAddress = NewTable();
            ulong* table = (ulong*)tableAddress;
            for (int i = 0; i < 512; i++)
            {
                table[i] = (baseAddress + ((ulong)i * childSize)) | attributes;
            }

            return tableAddress;
        }

        private static ulong NewTable()
        {
            ulong frame = PageFrameAllocator.Allocate(1);
            if (frame == 0)
            {
                LastError = "no page frame left for a page table";
                throw new OutOfMemoryException("paging: no page frame left for a page table");
            }

            return frame;
        }
    }
}
