using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.IO;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Debugging
{
    /// <summary>
    /// The kernel's own GDB remote stub on COM2, for machines without a debugger of their own (VMware, real
    /// hardware): gdb attaches with <c>target remote</c> over the serial line (a QEMU socket, a named pipe, a
    /// cable). Compiled in only when the kernel project sets <c>CosmosGdbStub</c> (ILC then keeps
    /// <see cref="IsSupported"/> true; otherwise this class trims away), and on only when the kernel command
    /// line says <c>gdb=com2</c>.
    /// <para>
    /// It stops the machine on an <c>int3</c> (gdb's breakpoints, <c>Debugger.Break</c>), after a single step
    /// (the trap flag), and when bytes arrive from gdb while the kernel runs (connecting, Ctrl-C), checked at
    /// every device interrupt. Stopped, it serves gdb from the trap handler with interrupts off: everything
    /// stands still until gdb continues, steps or detaches.
    /// </para>
    /// </summary>
    public static unsafe class GdbStub
    {
        private const ulong TrapFlag = 1UL << 8;
        private const ushort Port = SerialPort.Com2;

        private static GdbRemoteSession? s_session;
        private static FrameTarget? s_target;

        /// <summary>True when the build compiled the stub in (CosmosGdbStub); a constant ILC folds.</summary>
        [FeatureSwitchDefinition("Cosmos.Core.Debugging.GdbStub.IsSupported")]
        public static bool IsSupported => AppContext.TryGetSwitch("Cosmos.Core.Debugging.GdbStub.IsSupported", out bool enabled) && enabled;

        /// <summary>True when the stub is listening on COM2.</summary>
        public static bool IsActive => IsSupported && s_session != null;

        /// <summary>Starts the stub when <paramref name="commandLine"/> holds <c>gdb=com2</c> and the build supports it.</summary>
        public static void StartIfRequested(string commandLine)
        {
            if (!IsSupported || s_session != null || !HasOption(commandLine, "gdb=com2"))
            {
                return;
            }

            SerialPort.Initialize(Port);
            s_target = new FrameTarget();
            s_session = new GdbRemoteSession(new SerialChannel());
            SerialPort.WriteAscii(SerialPort.Com1, "[gdb] stub listening on COM2\n");
        }

        /// <summary>
        /// A breakpoint (#BP, vector 3) or a debug trap (#DB, vector 1): serves gdb and resumes as it says.
        /// False when the stub is not running (the caller reports the exception as before).
        /// </summary>
        public static bool OnTrap(InterruptFrame* frame, int vector)
        {
            if (!IsActive)
            {
                return false;
            }

            GdbStopReason reason = GdbStopReason.Trap;
            if (vector == 3 && s_session!.IsBreakpoint(frame->Rip - 1))
            {
                frame->Rip--;                        // back onto the breakpoint: gdb said swbreak+
                reason = GdbStopReason.Breakpoint;
            }

            Serve(frame, reason);
            return true;
        }

        /// <summary>At a device interrupt: when gdb has sent something (connecting, Ctrl-C), stops there for it.</summary>
        public static void PollForAttach(InterruptFrame* frame)
        {
            if (IsActive && SerialPort.HasData(Port))
            {
                Serve(frame, GdbStopReason.Interrupt);
            }
        }

        /// <summary>True while gdb is connected (it has spoken since the stub started or it last detached).</summary>
        public static bool IsAttached => IsActive && s_session!.IsConnected;

        /// <summary>Debugger.Break: a trap into the stub when it runs (gdb then stops here); nothing otherwise.</summary>
        public static void Break()
        {
            if (IsActive)
            {
                Breakpoint();
            }
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_breakpoint")]
        private static extern void Breakpoint();

        private static void Serve(InterruptFrame* frame, GdbStopReason reason)
        {
            s_target!.Frame = frame;
            GdbResume resume = s_session!.Serve(s_target, reason);
            s_target.Frame = null;
            if (resume == GdbResume.Step)
            {
                frame->Rflags |= TrapFlag;
            }
            else
            {
                frame->Rflags &= ~TrapFlag;
            }
        }

        private static bool HasOption(string commandLine, string option)
        {
            foreach (string word in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word == option)
                {
                    return true;
                }
            }

            return false;
        }

        private sealed class SerialChannel : IGdbChannel
        {
            public byte ReadByte()
            {
                while (!SerialPort.HasData(Port))
                {
                    Native.Pause();
                }

                return SerialPort.Read(Port);
            }

            public void Write(ReadOnlySpan<byte> bytes)
            {
                foreach (byte value in bytes)
                {
                    SerialPort.Write(Port, value);
                }
            }
        }

        // The interrupted context in the trap's frame, and memory through the page tables (never a fault).
        private sealed class FrameTarget : IGdbTarget
        {
            public InterruptFrame* Frame;

            public ulong ReadRegister(int number) => number switch
            {
                GdbRegisters.Rax => Frame->Rax,
                GdbRegisters.Rbx => Frame->Rbx,
                GdbRegisters.Rcx => Frame->Rcx,
                GdbRegisters.Rdx => Frame->Rdx,
                GdbRegisters.Rsi => Frame->Rsi,
                GdbRegisters.Rdi => Frame->Rdi,
                GdbRegisters.Rbp => Frame->Rbp,
                GdbRegisters.Rsp => Frame->Rsp,
                8 => Frame->R8,
                9 => Frame->R9,
                10 => Frame->R10,
                11 => Frame->R11,
                12 => Frame->R12,
                13 => Frame->R13,
                14 => Frame->R14,
                GdbRegisters.R15 => Frame->R15,
                GdbRegisters.Rip => Frame->Rip,
                GdbRegisters.Eflags => Frame->Rflags,
                GdbRegisters.Cs => Frame->Cs,
                GdbRegisters.Ss => Frame->Ss,
                _ => 0,                              // ds, es, fs, gs: flat 64-bit segments
            };

            public void WriteRegister(int number, ulong value)
            {
                switch (number)
                {
                    case GdbRegisters.Rax: Frame->Rax = value; break;
                    case GdbRegisters.Rbx: Frame->Rbx = value; break;
                    case GdbRegisters.Rcx: Frame->Rcx = value; break;
                    case GdbRegisters.Rdx: Frame->Rdx = value; break;
                    case GdbRegisters.Rsi: Frame->Rsi = value; break;
                    case GdbRegisters.Rdi: Frame->Rdi = value; break;
                    case GdbRegisters.Rbp: Frame->Rbp = value; break;
                    case GdbRegisters.Rsp: Frame->Rsp = value; break;
                    case 8: Frame->R8 = value; break;
                    case 9: Frame->R9 = value; break;
                    case 10: Frame->R10 = value; break;
                    case 11: Frame->R11 = value; break;
                    case 12: Frame->R12 = value; break;
                    case 13: Frame->R13 = value; break;
                    case 14: Frame->R14 = value; break;
                    case GdbRegisters.R15: Frame->R15 = value; break;
                    case GdbRegisters.Rip: Frame->Rip = value; break;
                    case GdbRegisters.Eflags:
                        // Only the arithmetic and direction flags and the trap flag are gdb's to change:
                        // not IF, IOPL or the reserved bit 1.
                        const ulong userFlags = 0xCD5 | TrapFlag;
                        Frame->Rflags = (Frame->Rflags & ~userFlags) | (value & userFlags);
                        break;
                }
            }

            public bool TryReadMemory(ulong address, Span<byte> destination)
            {
                if (!IsMapped(address, (ulong)destination.Length))
                {
                    return false;
                }

                new ReadOnlySpan<byte>((void*)address, destination.Length).CopyTo(destination);
                return true;
            }

            public bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source)
            {
                if (!IsMapped(address, (ulong)source.Length))
                {
                    return false;
                }

                // Kernel code is mapped read-only: breakpoints go in past the write protection.
                Paging.CopyIgnoringWriteProtection(address, source);
                return true;
            }

            private static bool IsMapped(ulong address, ulong length)
            {
                if (length == 0)
                {
                    return true;
                }

                ulong last = address + length - 1;
                if (last < address)
                {
                    return false;
                }

                for (ulong page = address & ~0xFFFUL; ; page += 0x1000)
                {
                    if (!Paging.TryTranslate(page, out _, out _))
                    {
                        return false;
                    }

                    if (page >= (last & ~0xFFFUL))
                    {
                        return true;
                    }
                }
            }
        }
    }
}
