using Cosmos.Core.IO;
using Cosmos.Core.Runtime.EH;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// Writes a stack trace for panic reports without allocating. Managed frames are unwound with
    /// their CFI (so frames without a frame pointer are not skipped); code without unwind data
    /// (assembly) is stepped over through the frame-pointer chain. Each frame is named from the
    /// kernel symbol table.
    /// </summary>
    public static unsafe class StackTraceWriter
    {
        private const int MaxFrames = 32;

        /// <summary>The stack of an interrupted context: starts at the faulting instruction.</summary>
        public static void WriteFrames(ushort port, InterruptFrame* frame)
        {
            LimitedContext context = default;
            context.IP = frame->Rip;
            context.Rsp = frame->Rsp;
            context.Rbp = frame->Rbp;
            context.Rbx = frame->Rbx;
            context.R12 = frame->R12;
            context.R13 = frame->R13;
            context.R14 = frame->R14;
            context.R15 = frame->R15;
            Walk(port, &context, isFault: true);
        }

        /// <summary>The stack from a return address <paramref name="ip"/> with the caller's SP and RBP.</summary>
        public static void WriteFrom(ushort port, ulong ip, ulong sp, ulong rbp)
        {
            LimitedContext context = default;
            context.IP = ip;
            context.Rsp = sp;
            context.Rbp = rbp;
            Walk(port, &context, isFault: false);
        }

        /// <summary>The stack above the frame whose frame pointer is <paramref name="rbp"/> (panics).</summary>
        public static void WriteCallers(ushort port, ulong rsp, ulong rbp)
        {
            if (!IsPlausibleFrame(rbp, rsp))
            {
                SerialPort.WriteAscii(port, "Stack: (no frame pointer)\n");
                return;
            }

            LimitedContext context = default;
            context.IP = *(ulong*)(rbp + 8);
            context.Rsp = rbp + 16;
            context.Rbp = *(ulong*)rbp;
            Walk(port, &context, isFault: false);
        }

        private static void Walk(ushort port, LimitedContext* context, bool isFault)
        {
            SerialPort.WriteAscii(port, "Stack:\n");
            RegDisplay registers = default;
            registers.PointAt(context);
            for (int i = 0; i < MaxFrames && registers.IP != 0; i++, isFault = false)
            {
                WriteFrame(port, registers.IP);
                ulong pc = isFault ? registers.IP : registers.IP - 1;
                if (UnwindTable.TryFind(pc, out CodeInfo code))
                {
                    if (!CfiUnwinder.Unwind(code, pc, &registers) || registers.SP == 0)
                    {
                        return;
                    }

                    continue;
                }

                // Assembly without unwind data: follow the frame pointer if it looks sane.
                ulong rbp = *registers.pRbp;
                if (!IsPlausibleFrame(rbp, registers.SP))
                {
                    return;
                }

                registers.pRbp = (ulong*)rbp;
                registers.IP = *(ulong*)(rbp + 8);
                registers.SP = rbp + 16;
            }
        }

        private static bool IsPlausibleFrame(ulong rbp, ulong rsp) =>
            rbp >= 0x1000 && rbp >= rsp && rbp - rsp < (16UL << 20) && (rbp & 7) == 0 && rbp < Memory.PhysicalMemory.IdentityMappedLimit;

        private static void WriteFrame(ushort port, ulong address)
        {
            SerialPort.WriteAscii(port, "  at ");
            if (KernelSymbols.TryFind(address, out byte* name, out ulong start))
            {
                SerialPort.WriteCString(port, name);
                SerialPort.WriteAscii(port, "+0x");
                SerialPort.WriteHex(port, address - start, 4);
            }
            else
            {
                SerialPort.WriteAscii(port, "?");
            }

            SerialPort.WriteAscii(port, " (0x");
            SerialPort.WriteHex(port, address);
            SerialPort.WriteAscii(port, ")\n");
        }
    }
}
