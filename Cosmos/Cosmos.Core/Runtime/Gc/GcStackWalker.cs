using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Core.Runtime.EH;

namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// Walks one thread's managed frames for the collector, as NativeAOT's StackFrameIterator does
    /// for a GC stack walk (src/coreclr/nativeaot/Runtime/StackFrameIterator.cpp):
    /// <list type="bullet">
    /// <item>Frames are unwound with their CFI; RegDisplay keeps, for each callee-saved register,
    /// the address where the frame that saved it put it.</item>
    /// <item>A funclet is reported for its whole method, so the frames of its parent are skipped
    /// ("collapsed"): directly, when the funclet was called by its parent (a finally on the normal
    /// path), or through the ExInfo whose dispatch invoked it, when it was called through
    /// RhpCallCatchFunclet/RhpCallFinallyFunclet.</item>
    /// <item>At a throw thunk (RhpThrowEx2, RhpRethrow2, RhpThrowHwEx2) the walk continues at the
    /// thrower through the ExInfo's context; a hardware fault's frame is then "execution aborted".</item>
    /// <item>Assembly without unwind data is stepped over where its frame is known: the interface
    /// dispatch stub (whose saved argument registers are reported conservatively), the stack trace
    /// thunk, and an interrupt entry below an [UnmanagedCallersOnly] frame.</item>
    /// </list>
    /// The walk ends at an [UnmanagedCallersOnly] frame called from native code (the boot stub).
    /// </summary>
    internal unsafe struct GcStackWalker
    {
        // Asm/dispatch.asm's slow path: rbp frame, 0xC0 bytes below it, argument registers from +0x10.
        private const ulong DispatchStubFrameBytes = 0xC0;
        private const int DispatchStubArgumentsOffset = 0x10, ArgumentRegisterCount = 6;

        // Asm/interrupts.asm: the fxsave area sits right below the InterruptFrame, rbx points at the frame.
        private const ulong InterruptSseAreaBytes = 512;

        private const uint NoClause = 0xFFFFFFFF;

        /// <summary>The frame's registers: SP and IP by value, the others by where they are stored.</summary>
        public RegDisplay Registers;

        /// <summary>The frame's code (FDE, LSDA).</summary>
        public CodeInfo Code;

        /// <summary>The address used to find <see cref="Code"/> and the CFI row: the IP, or one before a return address.</summary>
        public ulong ControlPC;

        /// <summary>The innermost frame of an interrupted context: at its exact IP, scratch registers included.</summary>
        public bool IsActiveFrame;

        /// <summary>A frame that faulted and will not resume where it stopped (a hardware exception is being dispatched).</summary>
        public bool IsExecutionAborted;

        /// <summary>Argument registers the interface dispatch stub saved for this frame's call (reported conservatively), or null.</summary>
        public ulong* SavedArguments;

        /// <summary>How many words <see cref="SavedArguments"/> holds.</summary>
        public int SavedArgumentCount;

        /// <summary>The walked thread's runtime block (its ExInfo chain and deferred context).</summary>
        public byte* RuntimeBlock;

        private ulong _pendingFuncletFramePointer;
        private ulong* _funcletRbx, _funcletRbp, _funcletR12, _funcletR13, _funcletR14, _funcletR15;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_helpers_av_bounds")]
        private static extern ulong HelpersBounds(ulong* end);

        /// <summary>The frame pointer that identifies a method with EH and its funclets (they share rbp).</summary>
        public ulong FramePointer => Code.HasEHInfo || Code.IsFunclet ? *Registers.pRbp : 0;

        /// <summary>
        /// Starts at the frame that captured <paramref name="context"/> (at a call: not active), on the thread
        /// whose runtime block is <paramref name="runtimeBlock"/> (null: the running thread).
        /// </summary>
        public bool InitFromCapturedContext(LimitedContext* context, byte* runtimeBlock = null)
        {
            UnwindTable.EnsureInitialized();
            this = default;
            RuntimeBlock = runtimeBlock != null ? runtimeBlock : StackFrameIterator.CurrentThread();
            Registers.PointAt(context);
            return SetFrame(context->IP, exactAddress: false);
        }

        /// <summary>Starts at an interrupted context, every register in <paramref name="frame"/>; false unless it is in managed code.</summary>
        public bool InitFromInterruptFrame(InterruptFrame* frame)
        {
            UnwindTable.EnsureInitialized();
            this = default;
            RuntimeBlock = StackFrameIterator.CurrentThread();
            PointAtInterruptFrame(frame);
            return SetFrame(frame->Rip, exactAddress: true);
        }

        private void PointAtInterruptFrame(InterruptFrame* frame)
        {
            Registers = default;
            Registers.pRax = &frame->Rax;
            Registers.pRcx = &frame->Rcx;
            Registers.pRdx = &frame->Rdx;
            Registers.pRbx = &frame->Rbx;
            Registers.pRbp = &frame->Rbp;
            Registers.pRsi = &frame->Rsi;
            Registers.pRdi = &frame->Rdi;
            Registers.pR8 = &frame->R8;
            Registers.pR9 = &frame->R9;
            Registers.pR10 = &frame->R10;
            Registers.pR11 = &frame->R11;
            Registers.pR12 = &frame->R12;
            Registers.pR13 = &frame->R13;
            Registers.pR14 = &frame->R14;
            Registers.pR15 = &frame->R15;
            Registers.SP = frame->Rsp;
            Registers.IP = frame->Rip;
            IsActiveFrame = true;
        }

        /// <summary>Moves to the next frame to report; false at the bottom of the stack.</summary>
        public bool Next()
        {
            while (true)
            {
                ulong previousSP = Registers.SP;
                bool leavingFunclet = Code.IsFunclet;
                bool leavingReversePInvoke = Code.IsReversePInvoke;
                ulong framePointer = FramePointer;
                SavedArguments = null;
                SavedArgumentCount = 0;
                IsActiveFrame = false;
                IsExecutionAborted = false;
                if (!CfiUnwinder.Unwind(Code, ControlPC, (RegDisplay*)Unsafe.AsPointer(ref Registers)))
                {
                    Panic.Halt("[gc] cannot unwind the frame at", Registers.IP);
                }

                ulong ip = Registers.IP;
                if (leavingFunclet)
                {
                    if (ip == UnwindTable.CallCatch2 || ip == UnwindTable.CallFinally2)
                    {
                        // Called by the dispatcher: remember where the funclet keeps its parent's
                        // registers, report the dispatcher's frames, meet the parent at the ExInfo.
                        SaveFuncletRegisters();
                        _pendingFuncletFramePointer = framePointer;
                        int slots = ip == UnwindTable.CallCatch2 ? StackFrameIterator.CatchThunkSlots : StackFrameIterator.FinallyThunkSlots;
                        StackFrameIterator.UnwindFuncletThunk((RegDisplay*)Unsafe.AsPointer(ref Registers), slots);
                        return ArriveAtManagedFrame(previousSP);
                    }

                    if (ip == UnwindTable.CallFilter2)
                    {
                        // A filter runs in the first pass: its parent is reached normally, through the throw site.
                        StackFrameIterator.UnwindFuncletThunk((RegDisplay*)Unsafe.AsPointer(ref Registers), StackFrameIterator.FilterThunkSlots);
                        return ArriveAtManagedFrame(previousSP);
                    }

                    // Called by its parent (a finally on the normal path): the funclet reported the parent's slots.
                    EnterSkippedParent(ip, exactAddress: false, framePointer, previousSP);
                    continue;
                }

                if (ip == UnwindTable.ThrowEx2 || ip == UnwindTable.Rethrow2 || ip == UnwindTable.ThrowHwEx2)
                {
                    if (ContinueAtThrowSite(previousSP))
                    {
                        return true;
                    }

                    continue;       // positioned on a funclet's parent, which is skipped
                }

                if (SetFrame(ip, exactAddress: false))
                {
                    CheckProgress(previousSP);
                    return true;
                }

                if (StepOverDispatchStub(ip) || StepOverStackTraceThunk())
                {
                    return ArriveAtManagedFrame(previousSP);
                }

                if (leavingReversePInvoke)
                {
                    // Native code called an [UnmanagedCallersOnly] method: an interrupt entry (the walk
                    // goes on in the interrupted code) or the boot stub (the bottom of the stack).
                    InterruptFrame* interrupted = InterruptFrameBelow();
                    if (interrupted == null)
                    {
                        return false;
                    }

                    PointAtInterruptFrame(interrupted);
                    if (!SetFrame(interrupted->Rip, exactAddress: true))
                    {
                        Panic.Halt("[gc] an interrupt stopped code without GC information at", interrupted->Rip);
                    }

                    CheckProgress(previousSP);
                    return true;
                }

                Panic.Halt("[gc] the stack walk reached code without unwind information at", ip);
            }
        }

        // The frame a thunk or stub returns to must be managed code.
        private bool ArriveAtManagedFrame(ulong previousSP)
        {
            if (!SetFrame(Registers.IP, exactAddress: false))
            {
                Panic.Halt("[gc] an assembly thunk returns to code without GC information at", Registers.IP);
            }

            CheckProgress(previousSP);
            return true;
        }

        private void EnterSkippedParent(ulong ip, bool exactAddress, ulong funcletFramePointer, ulong previousSP)
        {
            if (!SetFrame(ip, exactAddress))
            {
                Panic.Halt("[gc] a funclet's parent has no GC information at", ip);
            }

            if (FramePointer != funcletFramePointer)
            {
                Panic.Halt("[gc] a funclet's parent has another frame pointer; frame at", ip);
            }

            CheckProgress(previousSP);
        }

        /// <summary>
        /// The walk left an exception dispatcher through its throw thunk; the ExInfo the thunk
        /// built sits at SP. In the first pass, or between funclets of the second, the thrower's
        /// frames are all still live: continue at the thrower (true). While a funclet of this
        /// dispatch runs, the funclet already reported its parent and the frames in between are
        /// dead: continue at the parent as the dispatch itself left it, to be skipped (false).
        /// </summary>
        private bool ContinueAtThrowSite(ulong previousSP)
        {
            byte* exInfo = (byte*)Registers.SP;
            if (!IsInExInfoChain(RuntimeBlock, exInfo))
            {
                Panic.Halt("[gc] a throw thunk's frame holds no live ExInfo at", (ulong)exInfo);
            }

            byte kind = exInfo[StackFrameIterator.ExInfoKind];
            byte pass = exInfo[StackFrameIterator.ExInfoPass];
            uint clause = *(uint*)(exInfo + StackFrameIterator.ExInfoClause);
            ulong funcletFramePointer = _pendingFuncletFramePointer;
            _pendingFuncletFramePointer = 0;
            if (pass != 1 && clause != NoClause && funcletFramePointer != 0)
            {
                FrameIterator* dispatch = (FrameIterator*)(exInfo + StackFrameIterator.ExInfoFrameIterator);
                Registers = dispatch->Registers;
                RestoreFuncletRegisters();
                bool fault = (dispatch->Flags & FrameIterator.FlagInstructionFault) != 0;
                EnterSkippedParent(dispatch->OriginalControlPC, fault, funcletFramePointer, previousSP);
                return false;
            }

            LimitedContext* thrower = *(LimitedContext**)(exInfo + StackFrameIterator.ExInfoContext);
            Registers.PointAt(thrower);
            bool hardwareFault = (kind & StackFrameIterator.ExKindMask) == StackFrameIterator.ExKindHardwareFault;
            if (!SetFrame(thrower->IP, exactAddress: hardwareFault))
            {
                Panic.Halt("[gc] an exception was thrown from code without GC information at", thrower->IP);
            }

            IsExecutionAborted = hardwareFault;
            CheckProgress(previousSP);
            return true;
        }

        private static bool IsInExInfoChain(byte* runtimeBlock, byte* exInfo)
        {
            for (byte* entry = *(byte**)(runtimeBlock + StackFrameIterator.ThreadExInfoHead); entry != null; entry = *(byte**)(entry + StackFrameIterator.ExInfoPrevious))
            {
                if (entry == exInfo)
                {
                    return true;
                }
            }

            return false;
        }

        // Asm/dispatch.asm's slow path called CoreLib's resolver, which may allocate. Its frame:
        // [rbp] the caller's rbp, [rbp+8] the return address, the argument registers below.
        private bool StepOverDispatchStub(ulong ip)
        {
            ulong end;
            ulong start = HelpersBounds(&end);
            if (ip < start || ip >= end)
            {
                return false;
            }

            ulong rbp = *Registers.pRbp;
            if (rbp != Registers.SP + DispatchStubFrameBytes)
            {
                Panic.Halt("[gc] the interface dispatch stub's frame is not where expected; rbp", rbp);
            }

            SavedArguments = (ulong*)(Registers.SP + DispatchStubArgumentsOffset);
            SavedArgumentCount = ArgumentRegisterCount;
            Registers.pRbp = (ulong*)rbp;
            Registers.IP = ((ulong*)rbp)[1];
            Registers.SP = rbp + 16;
            return true;
        }

        // RhpGetCurrentThreadStackTrace (Asm/exceptions.asm) pushed its caller's context, published
        // it as the thread's deferred context and called managed code; it saved no register.
        private bool StepOverStackTraceThunk()
        {
            LimitedContext* deferred = *(LimitedContext**)(RuntimeBlock + StackFrameIterator.ThreadDeferredContext);
            if (deferred == null || (ulong)deferred != Registers.SP)
            {
                return false;
            }

            Registers.IP = deferred->IP;
            Registers.SP = deferred->Rsp;
            return true;
        }

        // isr_common (Asm/interrupts.asm) called the dispatcher with rbx = the InterruptFrame and the
        // fxsave area between it and the call; a frame that fits is taken as an interrupt's.
        private InterruptFrame* InterruptFrameBelow()
        {
            if (Registers.pRbx == null)
            {
                return null;
            }

            ulong rbx = *Registers.pRbx;
            if (rbx != Registers.SP + InterruptSseAreaBytes || (rbx & 15) != 0)
            {
                return null;
            }

            InterruptFrame* frame = (InterruptFrame*)rbx;
            bool plausible = frame->Vector < 256 && (frame->Cs & 3) == 0 && frame->Rsp > rbx;
            return plausible ? frame : null;
        }

        private bool SetFrame(ulong ip, bool exactAddress)
        {
            Registers.IP = ip;
            ControlPC = exactAddress ? ip : ip - 1;
            return UnwindTable.TryFind(ControlPC, out Code);
        }

        private void CheckProgress(ulong previousSP)
        {
            if (Registers.SP <= previousSP)
            {
                Panic.Halt("[gc] the stack walk did not move up the stack; SP", Registers.SP);
            }
        }

        private void SaveFuncletRegisters()
        {
            _funcletRbx = Registers.pRbx;
            _funcletRbp = Registers.pRbp;
            _funcletR12 = Registers.pR12;
            _funcletR13 = Registers.pR13;
            _funcletR14 = Registers.pR14;
            _funcletR15 = Registers.pR15;
        }

        // The funclet holds its parent's callee-saved registers (loaded from the dispatcher's
        // REGDISPLAY when it was called); where the funclet keeps them is where they are now.
        private void RestoreFuncletRegisters()
        {
            Registers.pRbx = _funcletRbx;
            Registers.pRbp = _funcletRbp;
            Registers.pR12 = _funcletR12;
            Registers.pR13 = _funcletR13;
            Registers.pR14 = _funcletR14;
            Registers.pR15 = _funcletR15;
        }
    }
}
