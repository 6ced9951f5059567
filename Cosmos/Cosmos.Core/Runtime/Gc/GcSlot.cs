using System;

namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>What a stack slot's offset is relative to (GcStackSlotBase in the runtime's gcinfotypes.h).</summary>
    public enum GcStackSlotBase : byte
    {
        /// <summary>The caller's SP: the frame's CFA, just above its return address.</summary>
        CallerSP = 0,

        /// <summary>The frame's own SP.</summary>
        SP = 1,

        /// <summary>The method's stack base register (rbp on x64).</summary>
        FrameRegister = 2,
    }

    /// <summary>The header flags of a fat GCInfo header (GcInfoHeaderFlags; a slim header implies all clear but the stack base register).</summary>
    [Flags]
    public enum GcInfoHeaderFlags : ushort
    {
        /// <summary>No flag.</summary>
        None = 0,

        /// <summary>A varargs method.</summary>
        IsVarArg = 0x1,

        /// <summary>A GS cookie protects a stack buffer; prolog and epilog sizes follow.</summary>
        HasGSCookie = 0x4,

        /// <summary>A PSPSym slot (not produced for x64 since .NET 9).</summary>
        HasPSPSym = 0x8,

        /// <summary>Two bits: the generics context is none, a MethodTable, a MethodDesc or <c>this</c>.</summary>
        GenericsContextMask = 0x30,

        /// <summary>Stack slots may be relative to a frame register.</summary>
        HasStackBaseRegister = 0x40,

        /// <summary>JIT64's report-only-leaf mode (not produced by RyuJIT).</summary>
        WantsReportOnlyLeaf = 0x80,

        /// <summary>Edit-and-continue preserved area size follows.</summary>
        HasEditAndContinueInfo = 0x100,

        /// <summary>An [UnmanagedCallersOnly] method: the reverse P/Invoke frame's slot follows.</summary>
        HasReversePInvokeFrame = 0x200,
    }

    /// <summary>One entry of a method's slot table: a register or a stack location that can hold a reference.</summary>
    public readonly struct GcSlot
    {
        /// <summary>A register slot (x64 encoding: 0 rax, 1 rcx, 2 rdx, 3 rbx, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15).</summary>
        public GcSlot(int register, GcSlotFlags flags)
        {
            IsRegister = true;
            Register = register;
            StackOffset = 0;
            Base = GcStackSlotBase.SP;
            Flags = flags;
            IsUntracked = false;
        }

        /// <summary>A stack slot at <paramref name="offset"/> bytes from <paramref name="stackBase"/>.</summary>
        public GcSlot(int offset, GcStackSlotBase stackBase, GcSlotFlags flags, bool untracked)
        {
            IsRegister = false;
            Register = -1;
            StackOffset = offset;
            Base = stackBase;
            Flags = flags;
            IsUntracked = untracked;
        }

        /// <summary>True for a register slot, false for a stack slot.</summary>
        public bool IsRegister { get; }

        /// <summary>The register number (x64 encoding), or -1 for a stack slot.</summary>
        public int Register { get; }

        /// <summary>The stack slot's offset in bytes from <see cref="Base"/>.</summary>
        public int StackOffset { get; }

        /// <summary>What <see cref="StackOffset"/> is relative to.</summary>
        public GcStackSlotBase Base { get; }

        /// <summary>Interior and pinned.</summary>
        public GcSlotFlags Flags { get; }

        /// <summary>An untracked stack slot: live everywhere in the method, reported whatever the offset.</summary>
        public bool IsUntracked { get; }
    }

    /// <summary>Receives the live slots <see cref="GcInfoDecoder.EnumerateLiveSlots"/> finds, in slot-table order.</summary>
    public interface IGcSlotVisitor
    {
        /// <summary>Called once for each live slot.</summary>
        void Visit(in GcSlot slot);
    }

    /// <summary>How to read the live state at a code offset.</summary>
    [Flags]
    public enum GcLiveSlotOptions
    {
        /// <summary>A frame that will resume at the offset.</summary>
        None = 0,

        /// <summary>
        /// The method will not continue at the offset (a hardware fault is being dispatched):
        /// safe points do not apply, only fully-interruptible information at the exact offset.
        /// </summary>
        ExecutionAborted = 1,

        /// <summary>Leave untracked slots out (a filter funclet: its parent frame reports them).</summary>
        SkipUntracked = 2,
    }

    /// <summary>The outcome of decoding.</summary>
    public enum GcInfoStatus
    {
        /// <summary>Decoded; every live slot was reported.</summary>
        Ok = 0,

        /// <summary>
        /// The offset is neither a safe point nor inside a fully-interruptible range, and the method
        /// has tracked slots: the compiler described no live state there.
        /// </summary>
        NotAtSafePoint,

        /// <summary>The blob ended before its contents did.</summary>
        Truncated,

        /// <summary>The blob contradicts itself (counts out of range, offsets outside the code, run lengths that do not add up).</summary>
        Corrupt,
    }
}
