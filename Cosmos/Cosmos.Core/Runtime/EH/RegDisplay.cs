using System.Runtime.InteropServices;

namespace Cosmos.Core.Runtime.EH
{
    /// <summary>
    /// NativeAOT's REGDISPLAY for amd64 Unix (0x88 bytes): pointers to where each register's
    /// value for the current frame is stored, plus SP and IP by value. CoreLib passes its address
    /// to the funclet thunks, which read the callee-saved ones.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 0x88)]
    internal unsafe struct RegDisplay
    {
        [FieldOffset(0x00)] public ulong* pRax;
        [FieldOffset(0x08)] public ulong* pRcx;
        [FieldOffset(0x10)] public ulong* pRdx;
        [FieldOffset(0x18)] public ulong* pRbx;
        [FieldOffset(0x20)] public ulong* pRbp;
        [FieldOffset(0x28)] public ulong* pRsi;
        [FieldOffset(0x30)] public ulong* pRdi;
        [FieldOffset(0x38)] public ulong* pR8;
        [FieldOffset(0x40)] public ulong* pR9;
        [FieldOffset(0x48)] public ulong* pR10;
        [FieldOffset(0x50)] public ulong* pR11;
        [FieldOffset(0x58)] public ulong* pR12;
        [FieldOffset(0x60)] public ulong* pR13;
        [FieldOffset(0x68)] public ulong* pR14;
        [FieldOffset(0x70)] public ulong* pR15;
        [FieldOffset(0x78)] public ulong SP;
        [FieldOffset(0x80)] public ulong IP;

        /// <summary>Positions on a PAL_LIMITED_CONTEXT: its IP and SP, the callee-saved registers in it.</summary>
        public void PointAt(LimitedContext* context)
        {
            pRbp = &context->Rbp;
            pRbx = &context->Rbx;
            pR12 = &context->R12;
            pR13 = &context->R13;
            pR14 = &context->R14;
            pR15 = &context->R15;
            SP = context->Rsp;
            IP = context->IP;
        }

        /// <summary>
        /// Where the value of a register (x64 encoding: 0 rax, 1 rcx, 2 rdx, 3 rbx, 5 rbp, 6 rsi,
        /// 7 rdi, 8-15 r8-r15; the numbering GCInfo uses) is stored for this frame, or null.
        /// </summary>
        public ulong* LocationOf(int register)
        {
            if (register < 0 || register > 15 || register == 4)
            {
                return null;
            }

            fixed (RegDisplay* self = &this)
            {
                // The pointers are in encoding order with rsp left out.
                return ((ulong**)self)[register < 4 ? register : register - 1];
            }
        }

        /// <summary>Sets the pointer for a DWARF register number (0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 8-15 r8-r15).</summary>
        public void SetPointer(int dwarfRegister, ulong* location)
        {
            fixed (RegDisplay* self = &this)
            {
                ulong** slots = (ulong**)self;
                int index = dwarfRegister switch
                {
                    0 => 0,
                    1 => 2,
                    2 => 1,
                    3 => 3,
                    4 => 5,
                    5 => 6,
                    6 => 4,
                    >= 8 and <= 15 => dwarfRegister - 1,
                    _ => -1,
                };
                if (index >= 0)
                {
                    slots[index] = location;
                }
            }
        }
    }

    /// <summary>PAL_LIMITED_CONTEXT (0x50 bytes) as the throw thunks push it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LimitedContext
    {
        public ulong IP, Rsp, Rbp, Rax, Rbx, Rdx, R12, R13, R14, R15;
    }
}
