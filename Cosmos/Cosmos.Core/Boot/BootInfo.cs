using System;

namespace Cosmos.Core.Boot
{
    /// <summary>How the kernel was started.</summary>
    public enum BootProtocol
    {
        /// <summary>A loader we do not know passed control.</summary>
        Unknown = 0,

        /// <summary>GRUB (or another loader) through multiboot2.</summary>
        Multiboot2 = 1,

        /// <summary>The Xen PVH entry, as QEMU's <c>-kernel</c> uses it.</summary>
        Pvh = 2,
    }

    /// <summary>Kind of a physical memory range (values of the E820 / multiboot2 / PVH tables).</summary>
    public enum MemoryRangeType : uint
    {
        /// <summary>Usable RAM.</summary>
        Usable = 1,

        /// <summary>Reserved by firmware or hardware.</summary>
        Reserved = 2,

        /// <summary>ACPI tables, reclaimable after reading.</summary>
        AcpiReclaimable = 3,

        /// <summary>ACPI non-volatile storage.</summary>
        AcpiNvs = 4,

        /// <summary>Defective RAM.</summary>
        Bad = 5,
    }

    /// <summary>One entry of the physical memory map.</summary>
    public readonly record struct MemoryRange(ulong Start, ulong Length, MemoryRangeType Type)
    {
        /// <summary>One past the last byte.</summary>
        public ulong End => Start + Length;
    }

    /// <summary>A framebuffer the loader set up (multiboot2 tag 8).</summary>
    public readonly record struct FramebufferInfo(ulong Address, uint Pitch, uint Width, uint Height, byte BitsPerPixel, byte Type);

    /// <summary>What the loader told us: protocol, memory map, command line, framebuffer.</summary>
    public sealed class BootInfo
    {
        /// <summary>The boot information of this boot, read once at start-up.</summary>
        public static BootInfo Current { get; internal set; } = new BootInfo(BootProtocol.Unknown);

        internal BootInfo(BootProtocol protocol) => Protocol = protocol;

        /// <summary>Which entry the kernel came through.</summary>
        public BootProtocol Protocol { get; }

        /// <summary>The physical memory map, sorted by address.</summary>
        public MemoryRange[] MemoryMap { get; internal set; } = Array.Empty<MemoryRange>();

        /// <summary>The kernel command line ("" when none).</summary>
        public string CommandLine { get; internal set; } = "";

        /// <summary>The boot loader's name, where it gives one.</summary>
        public string LoaderName { get; internal set; } = "";

        /// <summary>The firmware framebuffer, if the loader set one up.</summary>
        public FramebufferInfo? Framebuffer { get; internal set; }

        /// <summary>The ACPI RSDP copied by the loader (multiboot2 tags 14/15) or given by PVH, else 0.</summary>
        public ulong AcpiRsdpAddress { get; internal set; }

        /// <summary>Total usable RAM in bytes.</summary>
        public ulong UsableMemoryBytes
        {
            get
            {
                ulong total = 0;
                foreach (MemoryRange range in MemoryMap)
                {
                    if (range.Type == MemoryRangeType.Usable)
                    {
                        total += range.Length;
                    }
                }

                return total;
            }
        }
    }
}
