namespace Cosmos.Core.Runtime.EH
{
    /// <summary>
    /// Runs the DWARF call-frame program for one frame (DWARF 5 §6.4) and moves a REGDISPLAY to
    /// the caller: SP becomes the CFA, IP the saved return address, and each callee-saved
    /// register pointer the slot the frame saved it in. ILC's CFI describes prologues only, which
    /// is exact at every call site and at every instruction that can fault.
    /// </summary>
    internal static unsafe class CfiUnwinder
    {
        private const int RegisterCount = 17;
        private const int DwarfRsp = 7, DwarfRbp = 6, DwarfReturnAddress = 16;
        private const int MaxStateStack = 4;

        private struct Row
        {
            public int CfaRegister;
            public long CfaOffset;
            public fixed long Offsets[RegisterCount];     // long.MinValue = no rule (same value)
        }

        /// <summary>
        /// Unwinds the frame described by <paramref name="info"/> at <paramref name="pc"/>.
        /// Returns false when the program uses something this unwinder does not implement.
        /// </summary>
        public static bool Unwind(in CodeInfo info, ulong pc, RegDisplay* registers)
        {
            UnwindTable.CieInfo cie = UnwindTable.ParseCie(info.Cie);
            Row row = default;
            for (int i = 0; i < RegisterCount; i++)
            {
                row.Offsets[i] = long.MinValue;
            }

            Row initial = row;
            Row* saved = stackalloc Row[MaxStateStack];
            int savedCount = 0;
            ulong location = info.PcBegin;
            if (!Run(cie.Instructions, cie.InstructionsEnd, ref cie, ref row, ref initial, saved, ref savedCount, ref location, ulong.MaxValue))
            {
                return false;
            }

            initial = row;
            if (!Run(info.Instructions, info.InstructionsEnd, ref cie, ref row, ref initial, saved, ref savedCount, ref location, pc))
            {
                return false;
            }

            ulong cfaBase;
            if (row.CfaRegister == DwarfRsp)
            {
                cfaBase = registers->SP;
            }
            else if (row.CfaRegister == DwarfRbp)
            {
                cfaBase = *registers->pRbp;
            }
            else
            {
                return false;
            }

            ulong cfa = (ulong)((long)cfaBase + row.CfaOffset);
            for (int reg = 0; reg < RegisterCount; reg++)
            {
                long offset = row.Offsets[reg];
                if (offset == long.MinValue || reg == DwarfRsp || reg == DwarfReturnAddress)
                {
                    continue;
                }

                registers->SetPointer(reg, (ulong*)(long)(cfa + (ulong)offset));
            }

            long returnOffset = row.Offsets[DwarfReturnAddress];
            ulong* returnSlot = (ulong*)(cfa + (ulong)(returnOffset == long.MinValue ? -8 : returnOffset));
            registers->IP = *returnSlot;
            registers->SP = cfa;
            return true;
        }

        private static bool Run(byte* p, byte* end, ref UnwindTable.CieInfo cie, ref Row row, ref Row initial,
            Row* saved, ref int savedCount, ref ulong location, ulong target)
        {
            while (p < end)
            {
                byte op = *p++;
                byte high = (byte)(op & 0xC0);
                byte low = (byte)(op & 0x3F);
                if (high == 0x40)
                {
                    if (Advance(ref location, low, cie, target))
                    {
                        return true;
                    }

                    continue;
                }

                if (high == 0x80)
                {
                    SetOffset(ref row, low, (long)Dwarf.ReadUleb(ref p) * cie.DataAlignment);
                    continue;
                }

                if (high == 0xC0)
                {
                    if (low < RegisterCount)
                    {
                        row.Offsets[low] = initial.Offsets[low];
                    }

                    continue;
                }

                ulong delta;
                ulong reg;
                switch (op)
                {
                    case 0x00: // nop
                        break;
                    case 0x02: // advance_loc1
                        delta = *p++;
                        if (Advance(ref location, delta, cie, target))
                        {
                            return true;
                        }

                        break;
                    case 0x03: // advance_loc2
                        delta = *(ushort*)p;
                        p += 2;
                        if (Advance(ref location, delta, cie, target))
                        {
                            return true;
                        }

                        break;
                    case 0x04: // advance_loc4
                        delta = *(uint*)p;
                        p += 4;
                        if (Advance(ref location, delta, cie, target))
                        {
                            return true;
                        }

                        break;
                    case 0x05: // offset_extended
                        reg = Dwarf.ReadUleb(ref p);
                        SetOffset(ref row, reg, (long)Dwarf.ReadUleb(ref p) * cie.DataAlignment);
                        break;
                    case 0x06: // restore_extended
                        reg = Dwarf.ReadUleb(ref p);
                        if (reg < RegisterCount)
                        {
                            row.Offsets[reg] = initial.Offsets[reg];
                        }

                        break;
                    case 0x07: // undefined
                    case 0x08: // same_value
                        reg = Dwarf.ReadUleb(ref p);
                        if (reg < RegisterCount)
                        {
                            row.Offsets[reg] = long.MinValue;
                        }

                        break;
                    case 0x0A: // remember_state
                        if (savedCount == MaxStateStack)
                        {
                            return false;
                        }

                        saved[savedCount++] = row;
                        break;
                    case 0x0B: // restore_state
                        if (savedCount == 0)
                        {
                            return false;
                        }

                        row = saved[--savedCount];
                        break;
                    case 0x0C: // def_cfa
                        row.CfaRegister = (int)Dwarf.ReadUleb(ref p);
                        row.CfaOffset = (long)Dwarf.ReadUleb(ref p);
                        break;
                    case 0x0D: // def_cfa_register
                        row.CfaRegister = (int)Dwarf.ReadUleb(ref p);
                        break;
                    case 0x0E: // def_cfa_offset
                        row.CfaOffset = (long)Dwarf.ReadUleb(ref p);
                        break;
                    case 0x11: // offset_extended_sf
                        reg = Dwarf.ReadUleb(ref p);
                        SetOffset(ref row, reg, Dwarf.ReadSleb(ref p) * cie.DataAlignment);
                        break;
                    case 0x12: // def_cfa_sf
                        row.CfaRegister = (int)Dwarf.ReadUleb(ref p);
                        row.CfaOffset = Dwarf.ReadSleb(ref p) * cie.DataAlignment;
                        break;
                    case 0x13: // def_cfa_offset_sf
                        row.CfaOffset = Dwarf.ReadSleb(ref p) * cie.DataAlignment;
                        break;
                    case 0x2E: // GNU_args_size
                        Dwarf.ReadUleb(ref p);
                        break;
                    default:
                        return false;
                }
            }

            return true;
        }

        /// <summary>Moves the row's location; true when it passed the target (the row to use is complete).</summary>
        private static bool Advance(ref ulong location, ulong delta, in UnwindTable.CieInfo cie, ulong target)
        {
            location += delta * cie.CodeAlignment;
            return location > target;
        }

        private static void SetOffset(ref Row row, ulong reg, long offset)
        {
            if (reg < RegisterCount)
            {
                row.Offsets[reg] = offset;
            }
        }
    }
}
