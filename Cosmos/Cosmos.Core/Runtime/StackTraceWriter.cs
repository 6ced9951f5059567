using Cosmos.Core.IO;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// Writes a stack trace for panic reports without allocating: the faulting address, then the
    /// return addresses found by following the frame-pointer chain, each with the kernel
    /// symbol that contains it.
    /// </summary>
    public static unsafe class StackTraceWriter
    {
        private const int MaxFrames = 32;

        /// <summary>Writes "  at symbol+0xoffset (0xaddress)" lines for the given machine state.</summary>
        public static void WriteFrames(ushort port, ulong rip, ulong rsp, ulong rbp)
        {
            SerialPort.WriteAscii(port, "Stack:\n");
            if (rip != 0)
            {
                WriteFrame(port, rip);
            }

            for (int i = 0; i < MaxFrames && IsPlausibleFrame(rbp, rsp); i++)
            {
                ulong returnAddress = *(ulong*)(rbp + 8);
                if (returnAddress == 0)
                {
                    break;
                }

                WriteFrame(port, returnAddress);
                ulong next = *(ulong*)rbp;
                if (next <= rbp)
                {
                    break;
                }

                rsp = rbp;
                rbp = next;
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
