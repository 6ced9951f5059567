using System.Runtime.InteropServices;

namespace Cosmos.Core
{
    /// <summary>
    /// What Asm/interrupts.asm pushes: general registers (last pushed first), the vector, the
    /// error code (0 when the CPU pushes none) and the CPU's own iretq frame.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InterruptFrame
    {
        /// <summary>Saved general registers.</summary>
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rdi, Rsi, Rbp, Rbx, Rdx, Rcx, Rax;

        /// <summary>The interrupt vector (0-255).</summary>
        public ulong Vector;

        /// <summary>The CPU's error code for vectors that have one, else 0.</summary>
        public ulong ErrorCode;

        /// <summary>The interrupted instruction (iretq frame).</summary>
        public ulong Rip, Cs, Rflags, Rsp, Ss;
    }
}
