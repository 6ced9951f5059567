using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// The least rights for every page of the identity map: kernel code read-only and executable,
    /// read-only data and the symbol table read-only and never executed, data, stacks, heap, firmware
    /// and device memory writable and never executed. The boot page tables map everything writable and
    /// executable; <see cref="ProtectKernelImage"/> narrows them once page frames exist for the 4 KiB
    /// tables the kernel image needs (its sections are 4 KiB-aligned, Boot/kernel.ld). CR0.WP is on
    /// (Asm/boot.asm), so the kernel's own writes obey the read-only bit too.
    /// </summary>
    public static unsafe partial class Paging
    {
        // The image's parts, in address order (cosmos_kernel_layout): start, boot data, text, read-only data, data, symbols, end.
        private static ulong s_kernelStart, s_bootDataStart, s_textStart, s_readOnlyStart, s_dataStart, s_symbolsStart, s_kernelEnd;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_kernel_layout")]
        private static extern void KernelLayout(ulong* parts);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_copy_past_write_protect")]
        private static extern void CopyPastWriteProtect(byte* destination, byte* source, nuint length);

        /// <summary>True once <see cref="ProtectKernelImage"/> has narrowed the page rights.</summary>
        public static bool KernelImageProtected { get; private set; }

        /// <summary>
        /// Sets no-execute on every present page of the map, then gives each 4 KiB page of the kernel
        /// image the rights of its section. Present bits are left as they are (page 0 and guard pages stay absent).
        /// </summary>
        /// <exception cref="System.OutOfMemoryException">No frame left for a page table (nothing has changed rights then but the pages already done).</exception>
        public static void ProtectKernelImage()
        {
            ReadKernelLayout();
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                // The image first, page by page, then no-execute on everything else. Never the other way round: the
                // code running here is in the image, and a code page marked no-execute even for a moment faults as soon
                // as its translation is not in the TLB (which layout decides: a build whose Paging.Table sat on such a
                // page triple-faulted at boot).
                for (ulong page = s_kernelStart & ~(SmallPage - 1); page < s_kernelEnd; page += SmallPage)
                {
                    ulong* pageTable = Table(page, level: 0);
                    ref ulong entry = ref pageTable[Index(page, 0)];
                    entry = (entry & ~(PageFlags.Writable | PageFlags.NoExecute)) | RightsOf(page);
                }

                ulong* root = (ulong*)(Native.ReadCr3() & PageFlags.AddressMask);
                ForbidExecutionOutsideImage(root, level: 3, baseAddress: 0);

                KernelImageProtected = true;
            }
            finally
            {
                Native.WriteCr3(Native.ReadCr3());
                Native.RestoreFlags(flags);
            }
        }

        /// <summary>
        /// What part of the kernel image holds <paramref name="address"/> ("kernel code", "kernel data", ...),
        /// or null outside it. Allocation-free: the fault report uses it.
        /// </summary>
        public static string? KernelRegionOf(ulong address)
        {
            ReadKernelLayout();
            if (address < s_kernelStart || address >= s_kernelEnd)
            {
                return null;
            }

            return address < s_bootDataStart ? "boot code"
                : address < s_textStart ? "boot data"
                : address < s_readOnlyStart ? "kernel code"
                : address < s_dataStart ? "kernel read-only data"
                : address < s_symbolsStart ? "kernel data"
                : "kernel symbol table";
        }

        /// <summary>True when <paramref name="address"/> lies in the image's code (boot code or kernel code). Allocation-free.</summary>
        public static bool IsKernelCode(ulong address)
        {
            ReadKernelLayout();
            return (address >= s_kernelStart && address < s_bootDataStart) || (address >= s_textStart && address < s_readOnlyStart);
        }

        // The linker's section bounds; read on first use (a panic may ask before the boot protected anything).
        private static void ReadKernelLayout()
        {
            if (s_kernelEnd != 0)
            {
                return;
            }

            ulong* parts = stackalloc ulong[7];
            KernelLayout(parts);
            s_kernelStart = parts[0];
            s_bootDataStart = parts[1];
            s_textStart = parts[2];
            s_readOnlyStart = parts[3];
            s_dataStart = parts[4];
            s_symbolsStart = parts[5];
            s_kernelEnd = parts[6];
        }

        /// <summary>
        /// Copies into memory that may be mapped read-only (the debugger's breakpoints in code). The caller
        /// has checked that every page is present.
        /// </summary>
        public static void CopyIgnoringWriteProtection(ulong destination, System.ReadOnlySpan<byte> source)
        {
            fixed (byte* from = source)
            {
                CopyPastWriteProtect((byte*)destination, from, (nuint)source.Length);
            }
        }

        private static ulong RightsOf(ulong page)
        {
            if (IsKernelCode(page))
            {
                return 0;
            }

            bool readOnly = (page >= s_readOnlyStart && page < s_dataStart) || page >= s_symbolsStart;
            return readOnly ? PageFlags.NoExecute : PageFlags.Writable | PageFlags.NoExecute;
        }

        // No-execute on every present leaf below this table that lies outside the kernel image (the image's 4 KiB
        // pages have their rights already; tables themselves leave the decision to their leaves).
        private static void ForbidExecutionOutsideImage(ulong* table, int level, ulong baseAddress)
        {
            ulong span = 1UL << (12 + (9 * level));
            for (int i = 0; i < 512; i++)
            {
                ulong entry = table[i];
                ulong address = baseAddress + ((ulong)i * span);
                if ((entry & PageFlags.Present) == 0)
                {
                    continue;
                }

                if (level == 0 || (level <= 2 && (entry & PageFlags.LargePage) != 0))
                {
                    bool overlapsImage = address < s_kernelEnd && address + span > s_kernelStart;
                    if (!overlapsImage)
                    {
                        table[i] = entry | PageFlags.NoExecute;
                    }
                }
                else
                {
                    ForbidExecutionOutsideImage((ulong*)(entry & PageFlags.AddressMask), level - 1, address);
                }
            }
        }
    }
}
