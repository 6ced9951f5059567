using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Core.Runtime.EH
{
    /// <summary>What the unwind data says about the code at one address.</summary>
    internal unsafe struct CodeInfo
    {
        /// <summary>Start and end of the FDE's range (the body or funclet containing the address).</summary>
        public ulong PcBegin, PcEnd;

        /// <summary>Start of the method's main body (funclets follow it in the same symbol).</summary>
        public ulong MethodStart;

        /// <summary>The FDE's CFI program (after the augmentation data) and its end.</summary>
        public byte* Instructions, InstructionsEnd;

        /// <summary>The CIE this FDE uses.</summary>
        public byte* Cie;

        /// <summary>This FDE's LSDA and the main body's LSDA (equal for a main body).</summary>
        public byte* Lsda, MainLsda;

        public byte LsdaFlags => Lsda[0];

        public byte MainFlags => MainLsda[0];

        public bool IsFunclet => (LsdaFlags & 3) != 0;

        public bool IsFilter => (LsdaFlags & 3) == 2;

        public bool HasEHInfo => (MainFlags & 0x04) != 0;

        public bool IsReversePInvoke => (MainFlags & 0x08) != 0;

        /// <summary>The EH clauses (__ehinfo_*), or null.</summary>
        public byte* EHInfo
        {
            get
            {
                if (!HasEHInfo)
                {
                    return null;
                }

                byte* p = MainLsda + 1;
                if ((MainFlags & 0x10) != 0)
                {
                    p += 4;     // associated data
                }

                return p + *(int*)p;
            }
        }

        /// <summary>The method's GCInfo: it follows the main LSDA's flags and optional relative pointers.</summary>
        public byte* GcInfo
        {
            get
            {
                byte* p = MainLsda + 1;
                if ((MainFlags & 0x10) != 0)
                {
                    p += 4;     // associated data
                }

                if ((MainFlags & 0x04) != 0)
                {
                    p += 4;     // EH info
                }

                return p;
            }
        }
    }

    /// <summary>
    /// Finds the unwind information (DWARF FDE in .eh_frame, through the linker's .eh_frame_hdr
    /// binary-search table) and ILC's LSDA for a code address. Formats: LSB 5.0 §10.6, and
    /// docs/runtime-contract.md §2.
    /// </summary>
    internal static unsafe class UnwindTable
    {
        private const byte DW_EH_PE_omit = 0xFF, DW_EH_PE_udata4 = 0x03, DW_EH_PE_sdata4 = 0x0B;
        private const byte DW_EH_PE_pcrel = 0x10, DW_EH_PE_datarel = 0x30;

        private static byte* s_header;
        private static byte* s_table;
        private static ulong s_count;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_eh_thunk_addresses")]
        private static extern void ThunkAddresses(ulong* addresses);

        /// <summary>Return addresses of the throw and funclet thunks, and the .eh_frame_hdr.</summary>
        internal static ulong ThrowEx2, Rethrow2, ThrowHwEx2, CallCatch2, CallFinally2, CallFilter2;

        internal static void EnsureInitialized()
        {
            if (s_header != null)
            {
                return;
            }

            ulong* addresses = stackalloc ulong[7];
            ThunkAddresses(addresses);
            ThrowEx2 = addresses[0];
            Rethrow2 = addresses[1];
            ThrowHwEx2 = addresses[2];
            CallCatch2 = addresses[3];
            CallFinally2 = addresses[4];
            CallFilter2 = addresses[5];

            byte* header = (byte*)addresses[6];
            // version 1, eh_frame_ptr_enc, fde_count_enc, table_enc
            if (header[0] != 1 || header[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4))
            {
                Panic.Halt(".eh_frame_hdr has an unexpected format", *(uint*)header);
            }

            byte* p = header + 4;
            ReadEncoded(ref p, header[1], header);
            s_count = ReadEncoded(ref p, header[2], header);
            s_table = p;
            s_header = header;
        }

        /// <summary>Looks up the FDE covering <paramref name="pc"/>; false for code without one.</summary>
        public static bool TryFind(ulong pc, out CodeInfo info)
        {
            EnsureInitialized();
            info = default;
            long found = SortedTable.FindLastAtOrBelow(s_table, (long)s_count, 8, pc, s_header, &EntryStart);
            if (found < 0)
            {
                return false;
            }

            byte* fde = s_header + *(int*)(s_table + (found * 8) + 4);
            return ParseFde(fde, pc, ref info);
        }

        // .eh_frame_hdr table entry: {i32 initial location, i32 FDE}, both relative to the header.
        private static ulong EntryStart(byte* entry, byte* header) => (ulong)(header + *(int*)entry);

        private static bool ParseFde(byte* fde, ulong pc, ref CodeInfo info)
        {
            uint length = *(uint*)fde;
            if (length == 0 || length == 0xFFFFFFFF)
            {
                return false;
            }

            byte* end = fde + 4 + length;
            byte* cie = fde + 4 - *(int*)(fde + 4);
            CieInfo cieInfo = ParseCie(cie);
            byte* p = fde + 8;
            ulong pcBegin = ReadEncoded(ref p, cieInfo.PointerEncoding, null);
            ulong pcRange = ReadEncoded(ref p, (byte)(cieInfo.PointerEncoding & 0x0F), null);
            if (pc < pcBegin || pc >= pcBegin + pcRange)
            {
                return false;
            }

            byte* lsda = null;
            if (cieInfo.HasAugmentationData)
            {
                ulong augmentationLength = Dwarf.ReadUleb(ref p);
                byte* augmentationEnd = p + augmentationLength;
                if (cieInfo.LsdaEncoding != DW_EH_PE_omit)
                {
                    lsda = (byte*)ReadEncoded(ref p, cieInfo.LsdaEncoding, null);
                }

                p = augmentationEnd;
            }

            info.PcBegin = pcBegin;
            info.PcEnd = pcBegin + pcRange;
            info.Instructions = p;
            info.InstructionsEnd = end;
            info.Cie = cie;
            if (lsda == null)
            {
                return false;       // not code ILC compiled
            }

            info.Lsda = lsda;
            if ((lsda[0] & 3) != 0)
            {
                info.MainLsda = lsda + 1 + *(int*)(lsda + 1);
                info.MethodStart = pcBegin - *(uint*)(lsda + 5);
            }
            else
            {
                info.MainLsda = lsda;
                info.MethodStart = pcBegin;
            }

            return true;
        }

        internal struct CieInfo
        {
            public byte PointerEncoding;
            public byte LsdaEncoding;
            public bool HasAugmentationData;
            public long DataAlignment;
            public ulong CodeAlignment;
            public ulong ReturnAddressRegister;
            public byte* Instructions;
            public byte* InstructionsEnd;
        }

        internal static CieInfo ParseCie(byte* cie)
        {
            var info = new CieInfo { PointerEncoding = DW_EH_PE_pcrel | DW_EH_PE_sdata4, LsdaEncoding = DW_EH_PE_omit };
            uint length = *(uint*)cie;
            byte* end = cie + 4 + length;
            byte version = cie[8];
            byte* augmentation = cie + 9;
            byte* p = augmentation;
            while (*p != 0)
            {
                p++;
            }

            p++;
            info.CodeAlignment = Dwarf.ReadUleb(ref p);
            info.DataAlignment = Dwarf.ReadSleb(ref p);
            info.ReturnAddressRegister = version == 1 ? *p++ : Dwarf.ReadUleb(ref p);
            if (augmentation[0] == (byte)'z')
            {
                info.HasAugmentationData = true;
                ulong augmentationLength = Dwarf.ReadUleb(ref p);
                byte* augmentationEnd = p + augmentationLength;
                for (byte* a = augmentation + 1; *a != 0; a++)
                {
                    if (*a == (byte)'L')
                    {
                        info.LsdaEncoding = *p++;
                    }
                    else if (*a == (byte)'R')
                    {
                        info.PointerEncoding = *p++;
                    }
                    else if (*a == (byte)'P')
                    {
                        byte encoding = *p++;
                        ReadEncoded(ref p, encoding, null);
                    }
                }

                p = augmentationEnd;
            }

            info.Instructions = p;
            info.InstructionsEnd = end;
            return info;
        }

        private static ulong ReadEncoded(ref byte* p, byte encoding, byte* dataBase)
        {
            byte* position = p;
            long value;
            switch (encoding & 0x0F)
            {
                case DW_EH_PE_udata4:
                    value = *(uint*)p;
                    p += 4;
                    break;
                case DW_EH_PE_sdata4:
                    value = *(int*)p;
                    p += 4;
                    break;
                case 0x04:  // udata8
                case 0x0C:  // sdata8
                case 0x00:  // absptr
                    value = *(long*)p;
                    p += 8;
                    break;
                default:
                    Panic.Halt("unsupported DWARF pointer encoding", encoding);
                    return 0;
            }

            switch (encoding & 0x70)
            {
                case DW_EH_PE_pcrel:
                    value += (long)position;
                    break;
                case DW_EH_PE_datarel:
                    value += (long)dataBase;
                    break;
            }

            return (ulong)value;
        }
    }

    /// <summary>LEB128 readers (DWARF 5 §7.6).</summary>
    internal static unsafe class Dwarf
    {
        public static ulong ReadUleb(ref byte* p)
        {
            ulong result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *p++;
                result |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return result;
        }

        public static long ReadSleb(ref byte* p)
        {
            long result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *p++;
                result |= (long)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0)
            {
                result |= -1L << shift;
            }

            return result;
        }
    }
}
