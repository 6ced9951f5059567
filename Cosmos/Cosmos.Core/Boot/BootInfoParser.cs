using System;
using System.Collections.Generic;
using System.Text;

namespace Cosmos.Core.Boot
{
    /// <summary>
    /// Reads the multiboot2 information structure and the PVH hvm_start_info into <see cref="BootInfo"/>.
    /// Multiboot2 spec §3.6; Xen public/arch-x86/hvm/start_info.h.
    /// </summary>
    public static unsafe class BootInfoParser
    {
        private const uint TagEnd = 0, TagCommandLine = 1, TagLoaderName = 2, TagMemoryMap = 6, TagFramebuffer = 8;
        private const uint TagAcpiOldRsdp = 14, TagAcpiNewRsdp = 15;

        /// <summary>Parses what the loader passed at <paramref name="address"/>.</summary>
        public static BootInfo Parse(BootProtocol protocol, ulong address)
        {
            var info = new BootInfo(protocol);
            if (address == 0)
            {
                return info;
            }

            if (protocol == BootProtocol.Multiboot2)
            {
                ParseMultiboot2(info, (byte*)address);
            }
            else if (protocol == BootProtocol.Pvh)
            {
                ParsePvh(info, (byte*)address);
            }

            return info;
        }

        private static void ParseMultiboot2(BootInfo info, byte* mbi)
        {
            uint totalSize = *(uint*)mbi;
            var ranges = new List<MemoryRange>();
            byte* tag = mbi + 8;
            byte* end = mbi + totalSize;
            while (tag + 8 <= end)
            {
                uint type = *(uint*)tag;
                uint size = *(uint*)(tag + 4);
                if (type == TagEnd || size < 8)
                {
                    break;
                }

                switch (type)
                {
                    case TagCommandLine:
                        info.CommandLine = CString(tag + 8, size - 8);
                        break;
                    case TagLoaderName:
                        info.LoaderName = CString(tag + 8, size - 8);
                        break;
                    case TagMemoryMap:
                        uint entrySize = *(uint*)(tag + 8);
                        for (byte* entry = tag + 16; entrySize >= 24 && entry + entrySize <= tag + size; entry += entrySize)
                        {
                            ranges.Add(new MemoryRange(*(ulong*)entry, *(ulong*)(entry + 8), (MemoryRangeType)(*(uint*)(entry + 16))));
                        }

                        break;
                    case TagFramebuffer:
                        info.Framebuffer = new FramebufferInfo(*(ulong*)(tag + 8), *(uint*)(tag + 16), *(uint*)(tag + 20), *(uint*)(tag + 24), tag[28], tag[29]);
                        break;
                    case TagAcpiOldRsdp:
                    case TagAcpiNewRsdp:
                        if (info.AcpiRsdpAddress == 0 || type == TagAcpiNewRsdp)
                        {
                            info.AcpiRsdpAddress = (ulong)(tag + 8);
                        }

                        break;
                }

                tag += (size + 7) & ~7u;
            }

            info.MemoryMap = Sorted(ranges);
        }

        // struct hvm_start_info { u32 magic, version, flags, nr_modules; u64 modlist_paddr,
        //   cmdline_paddr, rsdp_paddr; (version >= 1) u64 memmap_paddr; u32 memmap_entries, reserved; }
        // struct hvm_memmap_table_entry { u64 addr, size; u32 type, reserved; }
        private static void ParsePvh(BootInfo info, byte* startInfo)
        {
            uint version = *(uint*)(startInfo + 4);
            ulong commandLine = *(ulong*)(startInfo + 24);
            info.AcpiRsdpAddress = *(ulong*)(startInfo + 32);
            info.LoaderName = "PVH";
            if (commandLine != 0)
            {
                info.CommandLine = CString((byte*)commandLine, 4096);
            }

            var ranges = new List<MemoryRange>();
            if (version >= 1)
            {
                byte* entry = (byte*)*(ulong*)(startInfo + 40);
                uint count = *(uint*)(startInfo + 48);
                for (uint i = 0; i < count && entry != null; i++, entry += 24)
                {
                    ranges.Add(new MemoryRange(*(ulong*)entry, *(ulong*)(entry + 8), (MemoryRangeType)(*(uint*)(entry + 16))));
                }
            }

            info.MemoryMap = Sorted(ranges);
        }

        private static MemoryRange[] Sorted(List<MemoryRange> ranges)
        {
            ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
            return ranges.ToArray();
        }

        private static string CString(byte* text, uint maxLength)
        {
            int length = 0;
            while (length < maxLength && text[length] != 0)
            {
                length++;
            }

            return Encoding.UTF8.GetString(text, length);
        }
    }
}
