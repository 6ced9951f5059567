using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosmos.Core.Memory;
using Cosmos.Core.Pal;
using Cosmos.Core.Runtime;

namespace Cosmos.Core.Threading
{
    /// <summary>
    /// A preemptive round-robin scheduler for one CPU. Every decision is made with interrupts off, so on
    /// one CPU that is the only lock it needs. A thread gives up the CPU when it blocks
    /// (<see cref="BlockCurrent"/>), yields, or when its quantum of <see cref="QuantumTicks"/> timer ticks
    /// is used up while another thread is runnable: the timer's interrupt ends in
    /// <see cref="OnInterruptExit"/>, which switches from inside the interrupt (the preempted thread
    /// resumes there and returns through <c>iretq</c>). A thread woken by an interrupt handler runs when
    /// that interrupt returns. With nothing to run, the CPU halts until an interrupt wakes someone.
    /// The collector finds every thread through <see cref="ForEachThread"/>; a thread off the CPU is
    /// stopped inside cosmos_switch_context with its context on its stack.
    /// </summary>
    public static unsafe partial class Scheduler
    {
        /// <summary>Timer ticks (milliseconds) a thread runs before another runnable thread gets the CPU.</summary>
        public const int QuantumTicks = 10;

        /// <summary>Stack size of a thread created without one.</summary>
        public const ulong DefaultStackBytes = 512 * 1024;

        private const ulong MinimumStackBytes = 64 * 1024;
        private const ulong GuardBytes = 4096;
        private const ulong RuntimeBlockBytes = 0x100;

        private static KernelThread? s_current;
        private static ThreadQueue? s_runQueue;
        private static KernelThread? s_all;
        private static KernelThread? s_sleepers;
        private static KernelThread? s_zombies;
        // No field initialisers in this class: a static constructor would run, in a build without ILC's
        // preinitialisation (unoptimised, for the debugger), on the first thread-static access, which comes
        // through ThreadStaticStorage here and would recurse. Initialize sets these.
        private static ulong s_nextDeadline;
        private static int s_nextId;
        private static int s_threadCount;
        private static int s_ticksLeft;
        private static bool s_preemptPending;
        private static bool s_idling;
        private static ulong s_switches;
        private static ulong s_idleNanoseconds;
        private static delegate* unmanaged<void> s_exitCallback;
        private static object[][]? s_bootThreadStatics;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_switch_context")]
        private static extern void SwitchContext(ulong* saveContext, ulong loadContext, byte* runtimeBlock);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_thread_start_address")]
        private static extern ulong ThreadStartAddress();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_boot_stack_bounds")]
        private static extern ulong BootStackBounds(ulong* top);

        /// <summary>True once the boot thread has become a scheduled thread.</summary>
        public static bool IsRunning => s_current != null;

        /// <summary>The thread on the CPU (null before <see cref="Initialize"/>).</summary>
        public static KernelThread? Current => s_current;

        /// <summary>Threads alive (started and not exited), the boot thread included.</summary>
        public static int ThreadCount => s_threadCount;

        /// <summary>Times the CPU went from one thread to another.</summary>
        public static ulong Switches => s_switches;

        /// <summary>Time the CPU spent halted because no thread could run.</summary>
        public static ulong IdleNanoseconds => s_idleNanoseconds;

        /// <summary>
        /// Makes the running code the boot thread and starts taking timer ticks. Called once interrupts
        /// and the timer are up; before that, thread statics and errno are the boot thread's anyway.
        /// </summary>
        public static void Initialize()
        {
            if (s_current != null)
            {
                return;
            }

            s_nextDeadline = ulong.MaxValue;
            s_nextId = 1;
            var boot = new KernelThread(s_nextId++, "boot");
            ulong top;
            boot.StackLow = BootStackBounds(&top);
            // The boot stack's lowest page becomes its guard (below it lie the boot page tables).
            boot.GuardPage = (boot.StackLow + 4095) & ~4095UL;
            Memory.Paging.SetPresent(boot.GuardPage, false);
            boot.StackLow = boot.GuardPage + 4096;
            boot.StackHigh = top;
            boot.RuntimeBlock = Runtime.EH.StackFrameIterator.CurrentThread();
            boot.State = KernelThreadState.Running;
            s_runQueue = new ThreadQueue();
            s_ticksLeft = QuantumTicks;
            SystemTimer.AddTickHandler(OnTick);

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            boot.ThreadStatics = s_bootThreadStatics;
            s_bootThreadStatics = null;
            s_all = boot;
            s_threadCount = 1;
            s_current = boot;
            Native.RestoreFlags(flags);
        }

        /// <summary>
        /// Creates a thread that runs <paramref name="entry"/>(<paramref name="argument"/>) on a stack of
        /// <paramref name="stackBytes"/> (0: <see cref="DefaultStackBytes"/>) and queues it. Returns null
        /// when there is no memory for its stack.
        /// </summary>
        public static KernelThread? CreateThread(delegate* unmanaged<nint, nint> entry, nint argument, ulong stackBytes, string? name = null)
        {
            if (s_current == null)
            {
                Panic.Halt("[sched] a thread was created before the scheduler started");
            }

            stackBytes = stackBytes == 0 ? DefaultStackBytes : (stackBytes < MinimumStackBytes ? MinimumStackBytes : (stackBytes + 4095) & ~4095UL);
            // A guard page (absent) at the bottom, then the stack, then the runtime block above it.
            byte* memory = EarlyHeap.Allocate(stackBytes + GuardBytes + 4096 + RuntimeBlockBytes);
            if (memory == null)
            {
                return null;
            }

            ulong guard = ((ulong)memory + 4095) & ~4095UL;
            Memory.Paging.SetPresent(guard, false);
            byte* stackLow = (byte*)(guard + GuardBytes);

            // The first context is built at the stack's top, 16-byte aligned.
            byte* block = stackLow + stackBytes;
            ulong context = ((ulong)block & ~15UL) - 0x80;
            ulong* words = (ulong*)context;
            ulong start = ThreadStartAddress();
            words[0] = start;                   // IP (never walked: the thread has not started)
            words[1] = context + 0x60;          // Rsp after the switch's ret
            words[6] = (ulong)entry;            // r12
            words[7] = (ulong)argument;         // r13
            words[11] = start;                  // the switch returns here

            int id = System.Threading.Interlocked.Increment(ref s_nextId) - 1;
            var thread = new KernelThread(id, string.IsNullOrEmpty(name) ? "thread " + id.ToString() : name)
            {
                Context = context,
                RuntimeBlock = block,
                OwnedStack = memory,
                GuardPage = guard,
                StackLow = (ulong)stackLow,
                StackHigh = (ulong)block,
                State = KernelThreadState.Starting,
            };

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            thread.AllNext = s_all;
            s_all = thread;
            s_threadCount++;
            s_runQueue!.Enqueue(thread);
            Native.RestoreFlags(flags);
            return thread;
        }

        /// <summary>The thread whose stack guard page holds <paramref name="address"/>, or null (a panic path: no allocation).</summary>
        public static KernelThread? ThreadWithGuardPageAt(ulong address)
        {
            for (KernelThread? thread = s_all; thread != null; thread = thread.AllNext)
            {
                if (thread.GuardPage != 0 && address - thread.GuardPage < GuardBytes)
                {
                    return thread;
                }
            }

            return null;
        }

        /// <summary>Gives the CPU to the next runnable thread, if there is one; true if another thread ran.</summary>
        public static bool Yield()
        {
            if (s_current == null)
            {
                return false;
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            KernelThread? next = s_runQueue!.Dequeue();
            if (next != null)
            {
                KernelThread current = s_current;
                current.State = KernelThreadState.Runnable;
                s_runQueue.Enqueue(current);
                SwitchTo(next);
            }

            Native.RestoreFlags(flags);
            return next != null;
        }

        /// <summary>Blocks the current thread until <paramref name="deadlineNanoseconds"/> (Tsc time).</summary>
        public static void SleepUntil(ulong deadlineNanoseconds)
        {
            if (s_current == null)
            {
                SystemTimer.SleepUntil(deadlineNanoseconds);
                return;
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            if (Tsc.Nanoseconds < deadlineNanoseconds)
            {
                KernelThread current = s_current;
                current.State = KernelThreadState.Blocked;
                AddSleeper(current, deadlineNanoseconds);
                BlockCurrent();
            }

            Native.RestoreFlags(flags);
        }

        /// <summary>
        /// Takes the CPU from the current thread, which the caller has marked
        /// <see cref="KernelThreadState.Blocked"/> (or exited) and put where a waker will find it
        /// (a queue, the sleepers). Call with interrupts off; returns, interrupts still off, once the
        /// thread was woken and chosen again.
        /// </summary>
        internal static void BlockCurrent()
        {
            KernelThread? next = s_runQueue!.Dequeue();
            while (next == null)
            {
                // Nothing can run: halt until an interrupt (a tick ending a sleep, a device) wakes a thread.
                s_idling = true;
                ulong before = Tsc.Nanoseconds;
                SystemTimer.HaltUntilInterruptOrDeadline(ulong.MaxValue);     // counts the halt; returns with interrupts on
                Native.DisableInterrupts();
                s_idleNanoseconds += Tsc.Nanoseconds - before;
                s_idling = false;
                next = s_runQueue.Dequeue();
            }

            SwitchTo(next);
        }

        /// <summary>
        /// Makes a blocked thread runnable (interrupts off). From an interrupt handler, the woken thread
        /// gets the CPU as the interrupt returns.
        /// </summary>
        internal static void Wake(KernelThread thread, bool timedOut = false)
        {
            if (thread.State != KernelThreadState.Blocked)
            {
                return;
            }

            CancelSleep(thread);
            thread.TimedOut = timedOut;
            thread.State = KernelThreadState.Runnable;
            s_runQueue!.Enqueue(thread);
            if (Interrupts.Depth > 0)
            {
                s_preemptPending = true;
            }
        }

        /// <summary>Adds a deadline to a thread about to block (interrupts off): the tick wakes it, timed out, then.</summary>
        internal static void AddSleeper(KernelThread thread, ulong deadlineNanoseconds)
        {
            thread.TimedOut = false;
            if (deadlineNanoseconds == ulong.MaxValue)
            {
                return;
            }

            thread.WakeDeadline = deadlineNanoseconds;
            thread.SleeperNext = s_sleepers;
            s_sleepers = thread;
            if (deadlineNanoseconds < s_nextDeadline)
            {
                s_nextDeadline = deadlineNanoseconds;
            }
        }

        internal static void CancelSleep(KernelThread thread)
        {
            if (thread.WakeDeadline == ulong.MaxValue)
            {
                return;
            }

            KernelThread? previous = null;
            for (KernelThread? at = s_sleepers; at != null; previous = at, at = at.SleeperNext)
            {
                if (at == thread)
                {
                    if (previous == null)
                    {
                        s_sleepers = at.SleeperNext;
                    }
                    else
                    {
                        previous.SleeperNext = at.SleeperNext;
                    }

                    break;
                }
            }

            thread.SleeperNext = null;
            thread.WakeDeadline = ulong.MaxValue;
        }

        // Interrupts off (the timer's handler).
        private static void OnTick(ulong tick, ref InterruptFrame frame)
        {
            if (s_current == null)
            {
                return;
            }

            ulong now = Tsc.Nanoseconds;
            if (now >= s_nextDeadline)
            {
                WakeExpiredSleepers(now);
            }

            if (--s_ticksLeft <= 0 && !s_runQueue!.IsEmpty)
            {
                s_preemptPending = true;
            }
        }

        private static void WakeExpiredSleepers(ulong now)
        {
            ulong next = ulong.MaxValue;
            KernelThread? at = s_sleepers;
            while (at != null)
            {
                KernelThread? following = at.SleeperNext;
                if (at.WakeDeadline <= now)
                {
                    at.Queue?.Remove(at);
                    Wake(at, timedOut: true);
                }
                else if (at.WakeDeadline < next)
                {
                    next = at.WakeDeadline;
                }

                at = following;
            }

            s_nextDeadline = next;
        }

        /// <summary>
        /// Called by the interrupt dispatcher as the outermost device or timer interrupt ends (acknowledged,
        /// interrupts off): switches to the next runnable thread when the quantum is used up or an
        /// interrupt woke a thread.
        /// </summary>
        internal static void OnInterruptExit(InterruptFrame* frame)
        {
            if (!s_preemptPending || s_idling || s_current == null)
            {
                return;
            }

            s_preemptPending = false;
            KernelThread? next = s_runQueue!.Dequeue();
            if (next == null)
            {
                return;
            }

            KernelThread current = s_current;
            current.PreemptedFrame = frame;
            current.State = KernelThreadState.Runnable;
            s_runQueue.Enqueue(current);
            SwitchTo(next);
            current.PreemptedFrame = null;
        }

        // Interrupts off. Returns when the calling thread is given the CPU again.
        private static void SwitchTo(KernelThread next)
        {
            KernelThread previous = s_current!;
            next.State = KernelThreadState.Running;
            s_ticksLeft = QuantumTicks;
            s_preemptPending = false;
            if (next == previous)
            {
                return;
            }

            previous.InterruptDepth = Interrupts.Depth;
            Interrupts.SetDepth(next.InterruptDepth);
            Errno.Exchange(ref previous.ErrnoValue, ref previous.ErrnoDetailCode, ref previous.ErrnoDetail);
            Errno.Exchange(ref next.ErrnoValue, ref next.ErrnoDetailCode, ref next.ErrnoDetail);
            s_current = next;
            s_switches++;
            SwitchContext((ulong*)Unsafe.AsPointer(ref previous.Context), next.Context, next.RuntimeBlock);

            // Back on this thread's stack (a new thread starts in cosmos_thread_start instead).
            if (s_zombies != null)
            {
                ReapZombies();
            }
        }

        // The stacks of exited threads, freed by whichever thread runs after them.
        private static void ReapZombies()
        {
            KernelThread? zombie = s_zombies;
            s_zombies = null;
            while (zombie != null)
            {
                KernelThread? following = zombie.AllNext;
                zombie.AllNext = null;
                if (zombie == s_current)
                {
                    zombie.AllNext = s_zombies;
                    s_zombies = zombie;
                }
                else if (zombie.OwnedStack != null)
                {
                    Memory.Paging.SetPresent(zombie.GuardPage, true);
                    GcHeap.FreeNative(zombie.OwnedStack);
                    zombie.OwnedStack = null;
                    zombie.RuntimeBlock = null;
                }

                zombie = following;
            }
        }

        // cosmos_thread_start calls this when a thread's entry returns.
        [UnmanagedCallersOnly(EntryPoint = "__cosmos_thread_exit")]
        private static void ExitCurrentThread()
        {
            if (s_exitCallback != null)
            {
                s_exitCallback();       // the class library's OnThreadExit: signals Join, abandons its waits
            }

            Native.DisableInterrupts();
            KernelThread current = s_current!;
            Unlink(current);
            current.State = KernelThreadState.Exited;
            current.ThreadStatics = null;
            current.AllNext = s_zombies;
            s_zombies = current;
            BlockCurrent();
            Panic.Halt("[sched] an exited thread was resumed; thread", (ulong)current.Id);
        }

        private static void Unlink(KernelThread thread)
        {
            KernelThread? previous = null;
            for (KernelThread? at = s_all; at != null; previous = at, at = at.AllNext)
            {
                if (at == thread)
                {
                    if (previous == null)
                    {
                        s_all = at.AllNext;
                    }
                    else
                    {
                        previous.AllNext = at.AllNext;
                    }

                    s_threadCount--;
                    return;
                }
            }
        }

        /// <summary>Calls <paramref name="visit"/> for every live thread (the collector); interrupts should be off.</summary>
        public static void ForEachThread(delegate*<KernelThread, void> visit)
        {
            for (KernelThread? at = s_all; at != null; at = at.AllNext)
            {
                visit(at);
            }
        }
    }
}
