using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.Runtime.EH;

namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// The precise stack roots of a thread: every GC reference slot live in every managed frame,
    /// exactly as ILC's GCInfo describes the frame at the point it stopped. Each slot is reported
    /// by address, once, with <see cref="GcSlotFlags"/>: a stack slot where it is; a register where
    /// the frame that saved it stored it, or in the captured context for registers no frame saved.
    /// The one double report is RyuJIT's: a filter funclet's frame reports its parent's live locals
    /// pinned while the parent, alive in the first pass, reports them too.
    /// Argument registers held by the interface dispatch stub while CoreLib resolves a call, and
    /// the caller's outgoing stack arguments, are reported as <c>Interior | Pinned</c>: they may
    /// hold anything, as NativeAOT reports its transition frames conservatively.
    /// Nothing here allocates. A frame whose GCInfo has no live state at its stopping point (a
    /// compiler contract broken, or a stack this walker does not understand) is a kernel panic:
    /// a missed root would free live objects.
    /// </summary>
    public static unsafe class StackRoots
    {
        // The GCInfo blob's length is not recorded anywhere; the decoder is only kept inside this bound.
        private const ulong GcInfoBound = 1UL << 20;

        private const int CalleeSavedRegisterMask = (1 << 3) | (1 << 5) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_call_with_context")]
        private static extern void CallWithContext(delegate*<LimitedContext*, void*, void> worker, void* argument);

        /// <summary>
        /// Reports the current thread's stack roots, from this method's caller to the bottom of the
        /// stack. Every slot is where the running code will read it once this method returns
        /// (registers no frame saved are reported in a context that is reloaded into them), so a
        /// collector may update what it is given.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void EnumerateCurrentThread(delegate*<nint*, GcSlotFlags, void> report) =>
            CallWithContext(&WalkFromCapturedContext, report);

        // Runs below the captured context: its own frames and those of the walk are not part of it.
        private static void WalkFromCapturedContext(LimitedContext* context, void* report)
        {
            GcStackWalker walker = default;
            if (!walker.InitFromCapturedContext(context))
            {
                Panic.Halt("[gc] the stack walk starts in code without GC information at", context->IP);
            }

            Walk(&walker, (delegate*<nint*, GcSlotFlags, void>)report);
        }

        /// <summary>
        /// Reports the stack roots of a thread stopped by an interrupt, starting at the interrupted
        /// instruction with every register in <paramref name="frame"/> (a preempted thread). Returns
        /// false, reporting nothing, when the thread did not stop in managed code at a point its
        /// GCInfo describes (a safe point or fully-interruptible code): resume it and try again.
        /// The thread's exception dispatches are looked up in the current thread's ExInfo chain.
        /// </summary>
        public static bool EnumerateFromContext(InterruptFrame* frame, delegate*<nint*, GcSlotFlags, void> report)
        {
            GcStackWalker walker = default;
            if (!walker.InitFromInterruptFrame(frame) || !IsAtGcSafePoint(&walker))
            {
                return false;
            }

            Walk(&walker, report);
            return true;
        }

        /// <summary>
        /// Reports the stack roots of a thread that is off the CPU: stopped in cosmos_switch_context with its
        /// context at <paramref name="context"/>, its runtime block at <paramref name="runtimeBlock"/>. A thread
        /// that blocked is walked precisely from its switch. A thread the timer preempted
        /// (<paramref name="preemptedFrame"/> not null) may have stopped anywhere (an epilog, assembly, between
        /// safe points), so its whole stack from the context up to <paramref name="stackHigh"/>, the interrupt
        /// frame's registers included, is reported conservatively: the collector never moves objects, so a
        /// word that only looks like a reference costs nothing but a late free.
        /// </summary>
        internal static void EnumerateSuspendedThread(LimitedContext* context, byte* runtimeBlock, InterruptFrame* preemptedFrame, ulong stackHigh,
            delegate*<nint*, GcSlotFlags, void> report)
        {
            if (preemptedFrame != null)
            {
                // Stopped by the timer anywhere: every word of its stack, the interrupt frame's registers
                // included, is a candidate. Unwinding from an arbitrary instruction trusts CFI, epilog
                // recognition and GCInfo at points the compiler never promised anything about; a
                // conservative scan trusts only the heap's own bookkeeping.
                ReportConservatively((ulong*)context, (int)((stackHigh - (ulong)context) / 8), report);
                return;
            }

            GcStackWalker walker = default;
            if (!walker.InitFromCapturedContext(context, runtimeBlock))
            {
                Panic.Halt("[gc] a suspended thread stopped in code without GC information at", context->IP);
            }

            Walk(&walker, report);
        }

        private static void Walk(GcStackWalker* walker, delegate*<nint*, GcSlotFlags, void> report)
        {
            do
            {
                ReportFrame(walker, report);
            }
            while (walker->Next());
        }

        private static bool IsAtGcSafePoint(GcStackWalker* walker)
        {
            GcInfoDecoder decoder = Decode(walker);
            var nothing = new IgnoringVisitor();
            uint offset = (uint)(walker->Registers.IP - walker->Code.MethodStart);
            return decoder.EnumerateLiveSlots(offset, GcLiveSlotOptions.None, ref nothing) == GcInfoStatus.Ok;
        }

        private static void ReportFrame(GcStackWalker* walker, delegate*<nint*, GcSlotFlags, void> report)
        {
            GcInfoDecoder decoder = Decode(walker);
            var options = GcLiveSlotOptions.None;
            if (walker->IsExecutionAborted)
            {
                options |= GcLiveSlotOptions.ExecutionAborted;
            }

            if (walker->Code.IsFilter)
            {
                options |= GcLiveSlotOptions.SkipUntracked;     // the filter's parent frame reports them
            }

            uint offset = (uint)(walker->Registers.IP - walker->Code.MethodStart);
            var reporter = new FrameSlotReporter(walker, decoder, report);
            GcInfoStatus status = decoder.EnumerateLiveSlots(offset, options, ref reporter);
            if (status != GcInfoStatus.Ok)
            {
                Panic.Halt(status == GcInfoStatus.NotAtSafePoint
                    ? "[gc] a frame stopped where its GCInfo records no live state, at"
                    : "[gc] unreadable GCInfo for the frame at", walker->Registers.IP);
            }

            if (walker->SavedArguments != null)
            {
                // The stub's saved argument registers, then the stack arguments in the caller's outgoing area.
                ReportConservatively(walker->SavedArguments, walker->SavedArgumentCount, report);
                ReportConservatively((ulong*)walker->Registers.SP, (int)(decoder.StackOutgoingAndScratchArea / 8), report);
            }
        }

        private static GcInfoDecoder Decode(GcStackWalker* walker)
        {
            if (GcInfoDecoder.TryCreate(walker->Code.GcInfo, GcInfoBound, out GcInfoDecoder decoder) != GcInfoStatus.Ok)
            {
                Panic.Halt("[gc] unreadable GCInfo for the method at", walker->Code.MethodStart);
            }

            return decoder;
        }

        private static void ReportConservatively(ulong* words, int count, delegate*<nint*, GcSlotFlags, void> report)
        {
            for (int i = 0; i < count; i++)
            {
                report((nint*)(words + i), GcSlotFlags.Interior | GcSlotFlags.Pinned);
            }
        }

        private struct IgnoringVisitor : IGcSlotVisitor
        {
            public readonly void Visit(in GcSlot slot)
            {
            }
        }

        /// <summary>
        /// Turns the decoder's slots into addresses for one frame. Outside the active frame, scratch
        /// registers and the outgoing argument area are dead across the call and are not reported
        /// (at a return address the GCInfo may list the callee's return value in rax).
        /// </summary>
        private struct FrameSlotReporter : IGcSlotVisitor
        {
            private readonly GcStackWalker* _walker;
            private readonly delegate*<nint*, GcSlotFlags, void> _report;
            private readonly uint _outgoingArea;
            private readonly uint _frameRegister;
            private ulong _callerSP;

            public FrameSlotReporter(GcStackWalker* walker, in GcInfoDecoder decoder, delegate*<nint*, GcSlotFlags, void> report)
            {
                _walker = walker;
                _report = report;
                _outgoingArea = decoder.StackOutgoingAndScratchArea;
                _frameRegister = decoder.StackBaseRegister;
                _callerSP = 0;
            }

            public void Visit(in GcSlot slot)
            {
                bool reportScratch = _walker->IsActiveFrame;
                if (slot.IsRegister)
                {
                    if (!reportScratch && (CalleeSavedRegisterMask & (1 << slot.Register)) == 0)
                    {
                        return;
                    }

                    ulong* location = _walker->Registers.LocationOf(slot.Register);
                    if (location == null)
                    {
                        Panic.Halt("[gc] a live register's save slot is unknown; register", (ulong)slot.Register);
                    }


                    _report((nint*)location, slot.Flags);
                    return;
                }

                ulong sp = _walker->Registers.SP;
                ulong address = (ulong)(long)slot.StackOffset + slot.Base switch
                {
                    GcStackSlotBase.SP => sp,
                    GcStackSlotBase.FrameRegister => FrameRegisterValue(),
                    _ => CallerSP(),
                };
                if (!reportScratch && address >= sp && address < sp + _outgoingArea)
                {
                    return;
                }


                _report((nint*)address, slot.Flags);
            }

            private readonly ulong FrameRegisterValue()
            {
                ulong* location = _walker->Registers.LocationOf((int)_frameRegister);
                if (location == null)
                {
                    Panic.Halt("[gc] the frame register's save slot is unknown; register", _frameRegister);
                }

                return *location;
            }

            // The frame's CFA, found by unwinding a copy of its registers (ILC does not use caller-SP-relative slots; this is for completeness).
            private ulong CallerSP()
            {
                if (_callerSP == 0)
                {
                    RegDisplay caller = _walker->Registers;
                    if (!CfiUnwinder.Unwind(_walker->Code, _walker->ControlPC, &caller))
                    {
                        Panic.Halt("[gc] cannot find the caller's SP of the frame at", _walker->Registers.IP);
                    }

                    _callerSP = caller.SP;
                }

                return _callerSP;
            }
        }
    }
}
