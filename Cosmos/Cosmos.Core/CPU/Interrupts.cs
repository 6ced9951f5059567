using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System;
using Cosmos.Core.IO;
using Cosmos.Core.InterruptControllers;
using Cosmos.Core.Memory;
using Cosmos.Core.Runtime;

namespace Cosmos.Core
{
    /// <summary>Handles one interrupt vector; may change the frame it returns to.</summary>
    public delegate void InterruptHandler(ref InterruptFrame frame);

    /// <summary>
    /// The managed side of every interrupt. CPU faults raised by managed code become managed
    /// exceptions (null dereference -> NullReferenceException, #DE -> DivideByZeroException) by
    /// making the faulting instruction appear to call RhpThrowHwEx; any other fault is a panic
    /// with the registers. Device vectors go to the handler registered for them.
    /// </summary>
    public static unsafe class Interrupts
    {
        /// <summary>Vectors 0-31 are CPU exceptions.</summary>
        public const int FirstDeviceVector = 32;

        private const int DivideError = 0, DebugTrap = 1, BreakpointTrap = 3, InvalidOpcode = 6, DoubleFault = 8, GeneralProtection = 13, PageFault = 14;
        private const ulong NullPageLimit = 0x1000;

        // EH.HwExceptionCode values the class library's RhThrowHwEx understands.
        private const uint StatusNullReference = 0;
        private const uint StatusIntegerDivideByZero = 0xC0000094;
        private const uint StatusIntegerOverflow = 0xC0000095;
        private const uint StatusHelperNullReference = 0x42;

        private static readonly InterruptHandler?[] s_handlers = new InterruptHandler?[256];
        private static int s_depth;
        private static ulong s_managedCodeStart;
        private static ulong s_managedCodeEnd;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_managed_code_bounds")]
        private static extern ulong ManagedCodeBounds(ulong* end);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_throw_hw_ex_address")]
        private static extern ulong ThrowHardwareExceptionAddress();

        /// <summary>Number of interrupts taken per vector (for diagnostics).</summary>
        public static ulong[] Counts { get; } = new ulong[256];

        /// <summary>Loads the IDT; call once at start-up.</summary>
        public static void Initialize()
        {
            ulong end;
            s_managedCodeStart = ManagedCodeBounds(&end);
            s_managedCodeEnd = end;
            Idt.Initialize();
        }

        /// <summary>
        /// Routes <paramref name="vector"/> to <paramref name="handler"/> (null to remove). The
        /// handler runs with interrupts off; the dispatcher signals end of interrupt to the local
        /// APIC after it returns. Device vectors come from <see cref="InterruptVectors"/>.
        /// </summary>
        public static void SetHandler(int vector, InterruptHandler? handler)
        {
            if (vector < FirstDeviceVector || vector > 255)
            {
                throw new ArgumentOutOfRangeException(nameof(vector), vector, "device vectors are 32-255");
            }

            s_handlers[vector] = handler;
        }

        private static bool IsFaultingHelper(ulong address)
        {
            ulong end;
            ulong start = HelpersBounds(&end);
            if (address >= start && address < end)
            {
                return true;
            }

            start = BarriersBounds(&end);
            return address >= start && address < end;
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_helpers_av_bounds")]
        private static extern ulong HelpersBounds(ulong* end);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_barriers_av_bounds")]
        private static extern ulong BarriersBounds(ulong* end);

        /// <summary>True when <paramref name="address"/> lies in code ILC compiled.</summary>
        public static bool IsManagedCode(ulong address) => address >= s_managedCodeStart && address < s_managedCodeEnd;

        [UnmanagedCallersOnly(EntryPoint = "__cosmos_interrupt")]
        private static void Dispatch(InterruptFrame* frame)
        {
            s_depth++;
            DispatchVector(frame);
            if (s_depth == 1 && frame->Vector >= FirstDeviceVector)
            {
                // The outermost handler is done and acknowledged: the scheduler may give the CPU to
                // another thread here; this thread resumes below when it is chosen again.
                Threading.Scheduler.OnInterruptExit(frame);
            }

            s_depth--;
        }

        /// <summary>
        /// How many interrupt or exception handlers are running (0 in ordinary code). The collector does not
        /// run inside one: the interrupted code may be anywhere, not at a point the compiler described.
        /// </summary>
        public static int Depth => s_depth;

        /// <summary>The depth is per thread: the scheduler swaps it when it switches threads.</summary>
        internal static void SetDepth(int depth) => s_depth = depth;

        private static void DispatchVector(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            Counts[vector]++;
            if (vector < FirstDeviceVector)
            {
                if ((vector == DebugTrap || vector == BreakpointTrap) && Debugging.GdbStub.IsSupported && Debugging.GdbStub.OnTrap(frame, vector))
                {
                    return;
                }

                HandleCpuException(frame);
                return;
            }

            if (Debugging.GdbStub.IsSupported)
            {
                Debugging.GdbStub.PollForAttach(frame);     // gdb connecting or pressing Ctrl-C
            }

            InterruptHandler? handler = s_handlers[vector];
            if (handler != null)
            {
                try
                {
                    handler(ref *frame);
                }
                catch (Exception exception)
                {
                    // A failing driver must not take the kernel down from interrupt context.
                    HandlerFailures++;
                    ReportHandlerFailure(vector, exception);
                }
            }
            else
            {
                UnhandledDeviceInterrupts++;
            }

            // After the handler (which has quietened a level-triggered source), and only for a vector
            // the local APIC has in service: never for the spurious vector or a software `int n`.
            LocalApic.EndOfInterrupt(vector);
        }

        /// <summary>Device-range interrupts that arrived on a vector nobody handles (they are acknowledged and dropped).</summary>
        public static ulong UnhandledDeviceInterrupts { get; private set; }

        /// <summary>Device handlers that threw (each is reported on COM1 and the interrupt acknowledged).</summary>
        public static ulong HandlerFailures { get; private set; }

        private static void ReportHandlerFailure(int vector, Exception exception)
        {
            const ushort port = SerialPort.Com1;
            SerialPort.WriteAscii(port, "[interrupts] handler for vector 0x");
            SerialPort.WriteHex(port, (ulong)vector, 2);
            SerialPort.WriteAscii(port, " threw ");
            SerialPort.WriteAscii(port, exception.GetType().FullName ?? "?");
            SerialPort.WriteAscii(port, ": ");
            SerialPort.WriteAscii(port, exception.Message);
            SerialPort.WriteAscii(port, "\n");
        }

        private static void HandleCpuException(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            if (vector == PageFault || vector == DoubleFault)
            {
                // Running off a stack: a page fault in its guard page, or (when the fault's own frame did not fit)
                // the double fault on its separate stack. The report stays small: the stack is gone.
                Threading.KernelThread? overflowed = Threading.Scheduler.ThreadWithGuardPageAt(Native.ReadCr2());
                if (overflowed != null)
                {
                    ReportStackOverflow(frame, overflowed);
                }
            }

            bool nullPageFault = vector == PageFault && Native.ReadCr2() < NullPageLimit;
            if (nullPageFault && IsFaultingHelper(frame->Rip) && IsManagedCode(*(ulong*)frame->Rsp))
            {
                RaiseAtHelperReturnAddress(frame);
                return;
            }

            if (vector != DoubleFault && IsManagedCode(frame->Rip))
            {
                if (vector == DivideError)
                {
                    // idiv raises #DE both for a zero divisor and for MinValue / -1; the JIT checks neither.
                    RaiseInManagedCode(frame, DivideErrorDecoder.IsQuotientOverflow(frame) ? StatusIntegerOverflow : StatusIntegerDivideByZero);
                    return;
                }

                if (nullPageFault)
                {
                    RaiseInManagedCode(frame, StatusNullReference);
                    return;
                }
            }

            ReportFault(frame);
        }

        /// <summary>
        /// Resumes the faulting context in RhpThrowHwEx(code, faultingIp) with its stack as it
        /// was, as NativeAOT's signal handler does on Linux; the thunk records the faulting IP as
        /// the first frame.
        /// </summary>
        private static void RaiseInManagedCode(InterruptFrame* frame, uint exceptionCode)
        {
            frame->Rdi = exceptionCode;
            frame->Rsi = frame->Rip;
            frame->Rip = ThrowHardwareExceptionAddress();
        }

        /// <summary>
        /// A null `this` or destination faulting in the first instruction of a dispatch stub or
        /// write barrier: the exception belongs to the managed caller, at the helper's return address.
        /// </summary>
        private static void RaiseAtHelperReturnAddress(InterruptFrame* frame)
        {
            ulong returnAddress = *(ulong*)frame->Rsp;
            frame->Rsp += 8;
            frame->Rdi = StatusHelperNullReference;
            frame->Rsi = returnAddress;
            frame->Rip = ThrowHardwareExceptionAddress();
        }

        private static void ReportFault(InterruptFrame* frame)
        {
            const ushort port = SerialPort.Com1;
            SerialPort.WriteAscii(port, "\nPANIC: CPU exception ");
            SerialPort.WriteAscii(port, ExceptionName((int)frame->Vector));
            SerialPort.WriteAscii(port, " (vector 0x");
            SerialPort.WriteHex(port, frame->Vector, 2);
            SerialPort.WriteAscii(port, ", error 0x");
            SerialPort.WriteHex(port, frame->ErrorCode, 4);
            SerialPort.WriteAscii(port, ")\n");
            if (frame->Vector == PageFault)
            {
                ReportProtectionViolation(port, frame->ErrorCode, Native.ReadCr2());
            }

            Register(port, "RIP", frame->Rip); Register(port, "RSP", frame->Rsp); Register(port, "RFLAGS", frame->Rflags); Register(port, "CR2", Native.ReadCr2()); SerialPort.WriteAscii(port, "\n");
            Register(port, "RAX", frame->Rax); Register(port, "RBX", frame->Rbx); Register(port, "RCX", frame->Rcx); Register(port, "RDX", frame->Rdx); SerialPort.WriteAscii(port, "\n");
            Register(port, "RSI", frame->Rsi); Register(port, "RDI", frame->Rdi); Register(port, "RBP", frame->Rbp); Register(port, "R8", frame->R8); SerialPort.WriteAscii(port, "\n");
            Register(port, "R9", frame->R9); Register(port, "R10", frame->R10); Register(port, "R11", frame->R11); Register(port, "R12", frame->R12); SerialPort.WriteAscii(port, "\n");
            Register(port, "R13", frame->R13); Register(port, "R14", frame->R14); Register(port, "R15", frame->R15); Register(port, "CS", frame->Cs); SerialPort.WriteAscii(port, "\n");
            StackTraceWriter.WriteFrames(port, frame);
            Power.Exit(Panic.ExitCodeFault);
        }

        // A page fault on a present page broke the page's rights (error code bit 0; bit 1 a write, bit 4 an
        // instruction fetch: Intel SDM vol. 3 §4.7): say which right and whose page it was.
        private static void ReportProtectionViolation(ushort port, ulong errorCode, ulong address)
        {
            const ulong presentBit = 1, writeBit = 2, fetchBit = 0x10;
            if ((errorCode & presentBit) == 0)
            {
                return;
            }

            SerialPort.WriteAscii(port, (errorCode & fetchBit) != 0 ? "  instruction fetch from a no-execute page at 0x"
                : (errorCode & writeBit) != 0 ? "  write to a read-only page at 0x"
                : "  access against the page's rights at 0x");
            SerialPort.WriteHex(port, address);
            SerialPort.WriteAscii(port, " (");
            SerialPort.WriteAscii(port, Paging.KernelRegionOf(address) ?? "outside the kernel image");
            SerialPort.WriteAscii(port, ")\n");
        }

        private static void ReportStackOverflow(InterruptFrame* frame, Threading.KernelThread thread)
        {
            const ushort port = SerialPort.Com1;
            SerialPort.WriteAscii(port, "\nPANIC: stack overflow in thread '");
            SerialPort.WriteAscii(port, thread.Name);
            SerialPort.WriteAscii(port, "' (id ");
            SerialPort.WriteHex(port, (ulong)thread.Id, 4);
            SerialPort.WriteAscii(port, "): it ran into the guard page below its stack at 0x");
            SerialPort.WriteHex(port, thread.GuardPage);
            SerialPort.WriteAscii(port, "\n");
            Register(port, "RIP", frame->Rip); Register(port, "RSP", frame->Rsp); Register(port, "CR2", Native.ReadCr2()); SerialPort.WriteAscii(port, "\n");
            Power.Exit(Panic.ExitCodeFault);
        }

        private static void Register(ushort port, string name, ulong value)
        {
            SerialPort.WriteAscii(port, "  ");
            SerialPort.WriteAscii(port, name);
            SerialPort.WriteAscii(port, "=");
            SerialPort.WriteHex(port, value);
        }

        private static string ExceptionName(int vector) => vector switch
        {
            0 => "#DE divide error",
            1 => "#DB debug",
            2 => "NMI",
            3 => "#BP breakpoint",
            4 => "#OF overflow",
            5 => "#BR bound range",
            6 => "#UD invalid opcode",
            7 => "#NM device not available",
            8 => "#DF double fault",
            10 => "#TS invalid TSS",
            11 => "#NP segment not present",
            12 => "#SS stack fault",
            13 => "#GP general protection",
            14 => "#PF page fault",
            16 => "#MF x87 error",
            17 => "#AC alignment check",
            18 => "#MC machine check",
            19 => "#XM SIMD exception",
            _ => "reserved",
        };
    }
}
