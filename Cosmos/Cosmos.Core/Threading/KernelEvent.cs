using Cosmos.Core.Runtime;

namespace Cosmos.Core.Threading
{
    /// <summary>
    /// An auto-reset event whose <see cref="Set"/> may be called from an interrupt handler: it only
    /// sets a flag and makes a waiting thread runnable, with interrupts off, never blocking and never
    /// allocating. One waiter is released per <see cref="Set"/>; a <see cref="Set"/> with nobody
    /// waiting is remembered (once) for the next <see cref="Wait"/>, so a signal raised between a
    /// thread's last check and its wait is not lost. SemaphoreSlim and Monitor are not safe there:
    /// they take a monitor, which blocks when the interrupted thread holds it.
    /// </summary>
    public sealed class KernelEvent
    {
        private readonly ThreadQueue _waiters = new();
        private bool _signalled;

        /// <summary>True when a <see cref="Set"/> is waiting to be consumed by the next <see cref="Wait"/>.</summary>
        public bool IsSet => _signalled;

        /// <summary>Releases one waiter, or lets the next wait return at once. Safe in interrupt context.</summary>
        public void Set()
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            KernelThread? waiter = _waiters.Dequeue();
            if (waiter != null)
            {
                Scheduler.Wake(waiter);
            }
            else
            {
                _signalled = true;
            }

            Native.RestoreFlags(flags);
        }

        /// <summary>
        /// Waits for <see cref="Set"/> until <paramref name="deadlineNanoseconds"/> (<see cref="Tsc"/>
        /// time, ulong.MaxValue for none); true when signalled, false on timeout. Not from an interrupt handler.
        /// </summary>
        public bool Wait(ulong deadlineNanoseconds)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            if (_signalled)
            {
                _signalled = false;
                Native.RestoreFlags(flags);
                return true;
            }

            KernelThread? current = Scheduler.Current;
            if (current == null)
            {
                // Before the scheduler runs there is only the boot thread: halt until an interrupt sets the flag.
                while (!_signalled && SystemTimer.HaltUntilInterruptOrDeadline(deadlineNanoseconds))
                {
                    Native.DisableInterrupts();
                }

                Native.DisableInterrupts();
                bool set = _signalled;
                _signalled = false;
                Native.RestoreFlags(flags);
                return set;
            }

            if (Interrupts.Depth > 0)
            {
                Panic.Halt("[sched] an interrupt handler waited on an event; thread", (ulong)current.Id);
            }

            current.State = KernelThreadState.Blocked;
            _waiters.Enqueue(current);
            Scheduler.AddSleeper(current, deadlineNanoseconds);
            Scheduler.BlockCurrent();
            bool signalled = !current.TimedOut;     // a timed-out waiter was taken off the queue by the tick
            Native.RestoreFlags(flags);
            return signalled;
        }

        /// <summary>Waits at most <paramref name="milliseconds"/> (negative: forever); see <see cref="Wait(ulong)"/>.</summary>
        public bool WaitMilliseconds(long milliseconds) =>
            Wait(milliseconds < 0 ? ulong.MaxValue : Tsc.Nanoseconds + (ulong)milliseconds * 1_000_000UL);
    }
}
