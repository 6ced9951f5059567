using System.Runtime;
using System.Runtime.InteropServices;
using Cosmos.Core.IO;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// The last resort: reports on COM1 without allocating and ends the machine. Exit codes seen
    /// by the host through isa-debug-exit are (code &lt;&lt; 1) | 1.
    /// </summary>
    public static unsafe class Panic
    {
        /// <summary>isa-debug-exit code for a kernel panic (QEMU exits with 2*3+1 = 7).</summary>
        public const byte ExitCodePanic = 3;

        /// <summary>isa-debug-exit code for an unhandled CPU fault (QEMU exits with 2*4+1 = 9).</summary>
        public const byte ExitCodeFault = 4;

        /// <summary>isa-debug-exit code for an unhandled managed exception (QEMU exits with 2*5+1 = 11).</summary>
        public const byte ExitCodeUnhandledException = 5;

        /// <summary>Prints "PANIC: message value" and stops the machine.</summary>
        public static void Halt(string message, ulong value)
        {
            SerialPort.WriteAscii(SerialPort.Com1, "\nPANIC: ");
            SerialPort.WriteAscii(SerialPort.Com1, message);
            SerialPort.WriteAscii(SerialPort.Com1, " 0x");
            SerialPort.WriteHex(SerialPort.Com1, value);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
            StackTraceWriter.WriteCallers(SerialPort.Com1, Native.ReadStackPointer(), Native.ReadFramePointer());
            Power.Exit(ExitCodePanic);
        }

        /// <summary>Prints "PANIC: message" and stops the machine.</summary>
        public static void Halt(string message)
        {
            SerialPort.WriteAscii(SerialPort.Com1, "\nPANIC: ");
            SerialPort.WriteAscii(SerialPort.Com1, message);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
            StackTraceWriter.WriteCallers(SerialPort.Com1, Native.ReadStackPointer(), Native.ReadFramePointer());
            Power.Exit(ExitCodePanic);
        }

        /// <summary>Reached through the generated stub of a runtime export that nobody implements.</summary>
        [UnmanagedCallersOnly(EntryPoint = "__cosmos_missing_export_panic")]
        private static void MissingExport(byte* name, ulong callerIp, ulong callerSp, ulong callerRbp)
        {
            SerialPort.WriteAscii(SerialPort.Com1, "\nPANIC: missing runtime export ");
            SerialPort.WriteCString(SerialPort.Com1, name);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
            StackTraceWriter.WriteFrom(SerialPort.Com1, callerIp, callerSp, callerRbp);
            Power.Exit(ExitCodePanic);
        }
    }
}
