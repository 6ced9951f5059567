using System;

namespace Cosmos.Core.Debugging
{
    /// <summary>
    /// The stopped machine as the GDB stub sees it: the registers of the interrupted context, in gdb's amd64
    /// numbering (<see cref="GdbRegisters"/>), and memory that may or may not be mapped.
    /// </summary>
    public interface IGdbTarget
    {
        /// <summary>Register <paramref name="number"/> (0 to <see cref="GdbRegisters.Count"/> - 1).</summary>
        ulong ReadRegister(int number);

        /// <summary>Sets register <paramref name="number"/>; the context resumes with it.</summary>
        void WriteRegister(int number, ulong value);

        /// <summary>Copies memory at <paramref name="address"/>; false (and nothing read) when any of it is not mapped.</summary>
        bool TryReadMemory(ulong address, Span<byte> destination);

        /// <summary>Writes memory at <paramref name="address"/>; false (and nothing written) when any of it is not mapped.</summary>
        bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source);
    }

    /// <summary>gdb's amd64 register numbering for the registers the stub reports (gdb's own i386/amd64 layout without a target description).</summary>
    public static class GdbRegisters
    {
        /// <summary>rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8-r15, rip: 8 bytes each.</summary>
        public const int Rax = 0, Rbx = 1, Rcx = 2, Rdx = 3, Rsi = 4, Rdi = 5, Rbp = 6, Rsp = 7, R8 = 8, R15 = 15, Rip = 16;

        /// <summary>eflags, cs, ss, ds, es, fs, gs: 4 bytes each.</summary>
        public const int Eflags = 17, Cs = 18, Ss = 19, Ds = 20, Es = 21, Fs = 22, Gs = 23;

        /// <summary>Registers in a 'g' reply; gdb treats the ones after them (x87, SSE) as unavailable.</summary>
        public const int Count = 24;

        /// <summary>Bytes register <paramref name="number"/> takes in a 'g' packet.</summary>
        public static int Size(int number) => number <= Rip ? 8 : 4;
    }
}
