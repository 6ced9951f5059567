namespace Cosmos.Core
{
    /// <summary>
    /// Tells the two causes of a #DE in managed code apart by decoding the faulting instruction,
    /// as NativeAOT's runtime does (IsDivByZeroAnIntegerOverflow): RyuJIT emits a bare `idiv` and
    /// relies on the fault for both a zero divisor (DivideByZeroException) and the most negative
    /// dividend divided by -1 (OverflowException, ECMA-335 III.3.31). Only `idiv` (F6/F7 /7) with a
    /// divisor of -1 is the overflow; everything else is a division by zero.
    /// </summary>
    internal static unsafe class DivideErrorDecoder
    {
        private const byte OperandSizePrefix = 0x66;
        private const int RexW = 8, RexX = 2, RexB = 1;
        private const int IdivExtension = 7;
        private const int MaxPrefixes = 14;             // an x86 instruction is at most 15 bytes

        /// <summary>True when the instruction at the frame's RIP is idiv with a divisor of -1.</summary>
        public static bool IsQuotientOverflow(InterruptFrame* frame)
        {
            byte* code = (byte*)frame->Rip;
            int at = 0;
            bool operandSize16 = false;
            for (; at < MaxPrefixes && IsLegacyPrefix(code[at]); at++)
            {
                operandSize16 |= code[at] == OperandSizePrefix;
            }

            int rex = 0;
            if ((code[at] & 0xF0) == 0x40)
            {
                rex = code[at++];
            }

            byte opcode = code[at++];
            if (opcode != 0xF6 && opcode != 0xF7)
            {
                return false;
            }

            byte modRm = code[at++];
            if (((modRm >> 3) & 7) != IdivExtension)
            {
                return false;           // div, or not a division at all
            }

            int size = opcode == 0xF6 ? 1 : (rex & RexW) != 0 ? 8 : operandSize16 ? 2 : 4;
            int mod = modRm >> 6, rm = modRm & 7;
            long divisor;
            if (mod == 3)
            {
                int register = rm | ((rex & RexB) << 3);
                // Without a REX prefix, byte registers 4-7 are AH, CH, DH and BH.
                divisor = size == 1 && rex == 0 && register >= 4
                    ? (sbyte)(byte)(Register(frame, register - 4) >> 8)
                    : SignExtend(Register(frame, register), size);
            }
            else
            {
                byte* address = (byte*)EffectiveAddress(frame, code, ref at, mod, rm, rex);
                divisor = size switch
                {
                    1 => *(sbyte*)address,
                    2 => *(short*)address,
                    4 => *(int*)address,
                    _ => *(long*)address,
                };
            }

            return divisor == -1;
        }

        private static bool IsLegacyPrefix(byte value) => value switch
        {
            0x66 or 0x67 or 0xF0 or 0xF2 or 0xF3 or 0x2E or 0x36 or 0x3E or 0x26 or 0x64 or 0x65 => true,
            _ => false,
        };

        // Intel SDM vol. 2 §2.1.5 (ModR/M and SIB addressing) and §2.2.1.6 (RIP-relative addressing).
        private static ulong EffectiveAddress(InterruptFrame* frame, byte* code, ref int at, int mod, int rm, int rex)
        {
            ulong address;
            if (rm == 4)
            {
                byte sib = code[at++];
                int scale = 1 << (sib >> 6);
                int index = ((sib >> 3) & 7) | ((rex & RexX) << 2);
                int baseRegister = (sib & 7) | ((rex & RexB) << 3);
                address = index == 4 ? 0 : Register(frame, index) * (ulong)scale;     // index 100 without REX.X: none
                if ((sib & 7) == 5 && mod == 0)
                {
                    address += (ulong)(long)*(int*)(code + at);
                    at += 4;
                }
                else
                {
                    address += Register(frame, baseRegister);
                }
            }
            else if (rm == 5 && mod == 0)
            {
                long displacement = *(int*)(code + at);
                at += 4;
                // Relative to the next instruction; idiv has no immediate after the displacement.
                return (ulong)((long)(code + at) + displacement);
            }
            else
            {
                address = Register(frame, rm | ((rex & RexB) << 3));
            }

            if (mod == 1)
            {
                address += (ulong)(long)(sbyte)code[at++];
            }
            else if (mod == 2)
            {
                address += (ulong)(long)*(int*)(code + at);
                at += 4;
            }

            return address;
        }

        private static long SignExtend(ulong value, int size) => size switch
        {
            1 => (sbyte)value,
            2 => (short)value,
            4 => (int)value,
            _ => (long)value,
        };

        // Register numbers as the instruction encodes them: rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15.
        private static ulong Register(InterruptFrame* frame, int number) => number switch
        {
            0 => frame->Rax,
            1 => frame->Rcx,
            2 => frame->Rdx,
            3 => frame->Rbx,
            4 => frame->Rsp,
            5 => frame->Rbp,
            6 => frame->Rsi,
            7 => frame->Rdi,
            8 => frame->R8,
            9 => frame->R9,
            10 => frame->R10,
            11 => frame->R11,
            12 => frame->R12,
            13 => frame->R13,
            14 => frame->R14,
            _ => frame->R15,
        };
    }
}
