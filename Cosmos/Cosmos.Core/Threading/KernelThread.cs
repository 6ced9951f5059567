namespace Cosmos.Core.Threading
{
    /// <summary>
    /// One kernel thread: its stack, its saved context while it is off the CPU, the runtime block the
    /// exception dispatcher keeps per thread (ExInfo chain, deferred context), its thread statics,
    /// and the per-thread values the scheduler swaps in and out (interrupt depth, errno).
    /// The class library's <c>System.Threading.Thread</c> runs on one of these.
    /// </summary>
    public sealed unsafe class KernelThread
    {
        internal KernelThread(int id, string name)
        {
            Id = id;
            Name = name;
        }

        /// <summary>The thread's number (1 is the boot thread); Thread.CurrentOSThreadId.</summary>
        public int Id { get; }

        /// <summary>A name for listings ("boot", "thread 7").</summary>
        public string Name { get; internal set; }

        /// <summary>Where it is in its life.</summary>
        public KernelThreadState State { get; internal set; }

        /// <summary>Lowest address of its stack.</summary>
        public ulong StackLow { get; internal set; }

        /// <summary>One past the highest address of its stack.</summary>
        public ulong StackHigh { get; internal set; }

        /// <summary>Its saved context (a LimitedContext on its stack) while it is off the CPU.</summary>
        internal ulong Context;

        /// <summary>The runtime block (0x100 bytes) whose address cosmos_current_thread returns while it runs.</summary>
        internal byte* RuntimeBlock;

        /// <summary>Memory to give back when it has exited (its stack and runtime block); null for the boot thread.</summary>
        internal byte* OwnedStack;

        /// <summary>The absent page just below the stack (0: none): running into it is a stack overflow.</summary>
        public ulong GuardPage { get; internal set; }

        /// <summary>RhGetThreadStaticStorage's answer while it runs.</summary>
        internal object[][]? ThreadStatics;

        /// <summary>The interrupt frame it was stopped in when the timer preempted it, else null.</summary>
        internal InterruptFrame* PreemptedFrame;

        internal int InterruptDepth;
        internal int ErrnoValue;
        internal int ErrnoDetailCode;
        internal string? ErrnoDetail;

        /// <summary>The queue holding it (run queue, a lock's or a condition's waiters), or null.</summary>
        internal ThreadQueue? Queue;
        internal KernelThread? QueueNext;

        /// <summary>When a timed wait ends (Tsc nanoseconds), or ulong.MaxValue (not on the sleeper list).</summary>
        internal ulong WakeDeadline = ulong.MaxValue;
        internal KernelThread? SleeperNext;

        /// <summary>Set when its timed wait ended by the deadline rather than a signal.</summary>
        internal bool TimedOut;

        internal KernelThread? AllNext;

        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
