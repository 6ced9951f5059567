namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// Tells whether an instruction is in a method's epilog, where ILC's CFI (which describes prologs and
    /// bodies, not the tear-down) no longer finds the caller. RyuJIT's x64 epilogs are a few stack
    /// adjustments and pops ending in <c>ret</c> or a tail-call <c>jmp</c>; from an address inside the
    /// body the same instructions do not all appear before the next branch. The answer may err only
    /// towards "epilog": the caller then scans the thread's stack conservatively, which is always safe
    /// for a collector that never moves objects.
    /// </summary>
    internal static unsafe class EpilogScanner
    {
        private const int MaxInstructions = 12;

        /// <summary>True when <paramref name="ip"/> lies in an epilog of the code range [begin, end).</summary>
        public static bool IsInEpilog(byte* ip, ulong begin, ulong end)
        {
            bool sawEpilogInstruction = false;
            byte* at = ip;
            for (int i = 0; i < MaxInstructions; i++)
            {
                int length = EpilogInstructionLength(at);
                if (length > 0)
                {
                    sawEpilogInstruction = true;
                    at += length;
                    continue;
                }

                byte op = at[0];
                if (op == 0xC3 || op == 0xC2)
                {
                    return true;                                        // ret
                }

                if (op == 0xE9)
                {
                    // jmp rel32: a tail call leaves the method; a jump inside it is ordinary control flow.
                    ulong target = (ulong)(at + 5 + *(int*)(at + 1));
                    return sawEpilogInstruction || target < begin || target >= end;
                }

                if (op == 0xFF || (op >= 0x40 && op <= 0x4F && at[1] == 0xFF))
                {
                    byte modrm = op == 0xFF ? at[1] : at[2];
                    if (((modrm >> 3) & 7) == 4)
                    {
                        return true;                                    // jmp through a register or a cell: unsure, say epilog
                    }
                }

                return sawEpilogInstruction && op == 0xEB;
            }

            return false;
        }

        // Lengths of the instructions an epilog is made of; 0 for anything else.
        private static int EpilogInstructionLength(byte* at)
        {
            byte b0 = at[0];
            if (b0 >= 0x58 && b0 <= 0x5F && b0 != 0x5C)
            {
                return 1;                                               // pop r64 (not rsp)
            }

            if (b0 == 0x41 && at[1] >= 0x58 && at[1] <= 0x5F)
            {
                return 2;                                               // pop r8-r15
            }

            if (b0 == 0xC5 && at[1] == 0xF8 && at[2] == 0x77)
            {
                return 3;                                               // vzeroupper
            }

            if (b0 != 0x48)
            {
                return 0;
            }

            byte b1 = at[1], b2 = at[2];
            if (b1 == 0x83 && b2 == 0xC4)
            {
                return 4;                                               // add rsp, imm8
            }

            if (b1 == 0x81 && b2 == 0xC4)
            {
                return 7;                                               // add rsp, imm32
            }

            if (b1 == 0x8D && b2 == 0x65)
            {
                return 4;                                               // lea rsp, [rbp + disp8]
            }

            if (b1 == 0x8D && b2 == 0xA5)
            {
                return 7;                                               // lea rsp, [rbp + disp32]
            }

            if (b1 == 0x8D && b2 == 0x64 && at[3] == 0x24)
            {
                return 5;                                               // lea rsp, [rsp + disp8]
            }

            return 0;
        }
    }
}
