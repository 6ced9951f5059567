using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosmos.Core.Runtime.EH
{
    /// <summary>
    /// The native half of NativeAOT's StackFrameIterator (0x168 bytes). CoreLib reads
    /// FramePointer (0x10), ControlPC (0x18), the REGDISPLAY (0x20), OriginalControlPC (0x158);
    /// the rest is ours.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 0x168)]
    internal unsafe struct FrameIterator
    {
        [FieldOffset(0x00)] public uint Flags;
        [FieldOffset(0x08)] public byte* NextExInfo;
        [FieldOffset(0x10)] public ulong FramePointer;
        [FieldOffset(0x18)] public ulong ControlPC;
        [FieldOffset(0x20)] public RegDisplay Registers;
        [FieldOffset(0xA8)] public CodeInfo Code;
        [FieldOffset(0x158)] public ulong OriginalControlPC;
        [FieldOffset(0x160)] public ulong PreviousTransitionFrame;

        public const uint FlagInstructionFault = 1, FlagHasCode = 2;
    }

    /// <summary>
    /// RhpSfiInit/RhpSfiNext: walks managed frames for CoreLib's two-pass exception dispatcher
    /// and for stack traces, following docs/runtime-contract.md §1.6: CFI unwinding, the throw
    /// and funclet thunks recognised by their return addresses, and the ExInfo collision that
    /// continues an outer dispatch when an exception leaves a funclet.
    /// </summary>
    internal static unsafe class StackFrameIterator
    {
        internal const int ExInfoPrevious = 0x00, ExInfoContext = 0x08, ExInfoFrameIterator = 0x20, ExInfoKind = 0x18, ExInfoPass = 0x19, ExInfoClause = 0x1C, ExInfoSize = 0x190;
        internal const byte ExKindMask = 3, ExKindHardwareFault = 2;
        private const byte ExKindSuperseded = 8;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_current_thread")]
        internal static extern byte* CurrentThread();

        internal const int ThreadDeferredContext = 0x50, ThreadExInfoHead = 0x78;

        [RuntimeExport("RhpSfiInit")]
        private static bool Init(FrameIterator* iterator, LimitedContext* context, bool instructionFault, bool* isExceptionIntercepted)
        {
            if (isExceptionIntercepted != null)
            {
                *isExceptionIntercepted = false;
            }

            if (context == null)
            {
                context = *(LimitedContext**)(CurrentThread() + ThreadDeferredContext);
                instructionFault = false;
                if (context == null)
                {
                    return false;
                }
            }

            new System.Span<byte>(iterator, sizeof(FrameIterator)).Clear();
            RegDisplay* registers = &iterator->Registers;
            registers->PointAt(context);
            registers->pRax = &context->Rax;
            registers->pRdx = &context->Rdx;
            iterator->Flags = instructionFault ? FrameIterator.FlagInstructionFault : 0;
            iterator->NextExInfo = FirstExInfoAbove(registers->SP);
            return SetFrame(iterator, context->IP, instructionFault);
        }

        [RuntimeExport("RhpSfiNext")]
        private static bool Next(FrameIterator* iterator, uint* collidedClauseIndex, bool* unwoundReversePInvoke, bool* isExceptionIntercepted)
        {
            if (collidedClauseIndex != null)
            {
                *collidedClauseIndex = 0xFFFFFFFF;
            }

            if (unwoundReversePInvoke != null)
            {
                *unwoundReversePInvoke = false;
            }

            if (isExceptionIntercepted != null)
            {
                *isExceptionIntercepted = false;
            }

            if ((iterator->Flags & FrameIterator.FlagHasCode) == 0)
            {
                return false;
            }

            RegDisplay* registers = &iterator->Registers;
            bool leavingReversePInvoke = iterator->Code.IsReversePInvoke;
            if (!CfiUnwinder.Unwind(iterator->Code, iterator->ControlPC, registers))
            {
                return false;
            }

            if (leavingReversePInvoke)
            {
                // The caller of an [UnmanagedCallersOnly] method is native code: EH stops here.
                if (unwoundReversePInvoke != null)
                {
                    *unwoundReversePInvoke = true;
                }

                iterator->Flags &= ~FrameIterator.FlagHasCode;
                return false;
            }

            while (true)
            {
                ulong ip = registers->IP;
                if (ip == UnwindTable.CallCatch2 || ip == UnwindTable.CallFinally2)
                {
                    return Collide(iterator, collidedClauseIndex);
                }

                if (ip == UnwindTable.CallFilter2)
                {
                    // Back into the dispatcher's own frames: 1 pad slot, then the saved registers.
                    UnwindFuncletThunk(registers, 1);
                    continue;
                }

                if (ip == UnwindTable.ThrowEx2 || ip == UnwindTable.Rethrow2 || ip == UnwindTable.ThrowHwEx2)
                {
                    // A walk from inside the dispatcher reaches the thrower through the context.
                    registers->PointAt((LimitedContext*)(registers->SP + ExInfoSize));
                }

                return SetFrame(iterator, registers->IP, false);
            }
        }

        /// <summary>
        /// An exception left a funclet: continue from the funclet's parent frame, where the
        /// dispatch that invoked the funclet had reached, keeping the registers as the funclet left them.
        /// </summary>
        private static bool Collide(FrameIterator* iterator, uint* collidedClauseIndex)
        {
            byte* exInfo = iterator->NextExInfo;
            if (exInfo == null)
            {
                Panic.Halt("stack walk reached a funclet thunk with no ExInfo to collide with");
            }

            RegDisplay current = iterator->Registers;
            FrameIterator* parent = (FrameIterator*)(exInfo + ExInfoFrameIterator);
            *iterator = *parent;
            iterator->Registers.pRbx = current.pRbx;
            iterator->Registers.pRbp = current.pRbp;
            iterator->Registers.pR12 = current.pR12;
            iterator->Registers.pR13 = current.pR13;
            iterator->Registers.pR14 = current.pR14;
            iterator->Registers.pR15 = current.pR15;
            if (collidedClauseIndex != null)
            {
                *collidedClauseIndex = *(uint*)(exInfo + ExInfoClause);
            }

            exInfo[ExInfoKind] |= ExKindSuperseded;
            return (iterator->Flags & FrameIterator.FlagHasCode) != 0;
        }

        /// <summary>Words each funclet thunk keeps below its saved registers (Asm/exceptions.asm).</summary>
        internal const int CatchThunkSlots = 7, FinallyThunkSlots = 3, FilterThunkSlots = 1;

        // Thunk frame from the return address up: `slots` words, then rbp, rbx, r12-r15, return address.
        internal static void UnwindFuncletThunk(RegDisplay* registers, int slots)
        {
            ulong* frame = (ulong*)registers->SP + slots;
            registers->pRbp = frame;
            registers->pRbx = frame + 1;
            registers->pR12 = frame + 2;
            registers->pR13 = frame + 3;
            registers->pR14 = frame + 4;
            registers->pR15 = frame + 5;
            registers->IP = frame[6];
            registers->SP = (ulong)(frame + 7);
        }

        private static bool SetFrame(FrameIterator* iterator, ulong ip, bool instructionFault)
        {
            iterator->OriginalControlPC = ip;
            iterator->ControlPC = instructionFault ? ip : ip - 1;
            iterator->Registers.IP = ip;
            if (instructionFault)
            {
                iterator->Flags |= FrameIterator.FlagInstructionFault;
            }
            else
            {
                iterator->Flags &= ~FrameIterator.FlagInstructionFault;
            }

            if (!UnwindTable.TryFind(iterator->ControlPC, out iterator->Code))
            {
                iterator->Flags &= ~FrameIterator.FlagHasCode;
                iterator->FramePointer = 0;
                return false;
            }

            iterator->Flags |= FrameIterator.FlagHasCode;
            iterator->FramePointer = iterator->Code.HasEHInfo || iterator->Code.IsFunclet ? *iterator->Registers.pRbp : 0;
            return true;
        }

        internal static byte* FirstExInfoAbove(ulong sp)
        {
            byte* exInfo = *(byte**)(CurrentThread() + ThreadExInfoHead);
            while (exInfo != null && (ulong)exInfo < sp)
            {
                exInfo = *(byte**)exInfo;
            }

            return exInfo;
        }

        /// <summary>Start of the managed method containing <paramref name="codeAddress"/>, or 0.</summary>
        [RuntimeExport("RhFindMethodStartAddress")]
        private static nint FindMethodStartAddress(nint codeAddress) =>
            UnwindTable.TryFind((ulong)codeAddress, out CodeInfo info) ? (nint)info.MethodStart : 0;

        [RuntimeExport("RhpGetThreadAbortException")]
        private static object? ThreadAbortException() => null;
    }
}
