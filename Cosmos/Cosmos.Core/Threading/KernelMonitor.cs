using Cosmos.Core.Runtime;

namespace Cosmos.Core.Threading
{
    /// <summary>
    /// A mutex with one condition variable, the kernel's answer to pthread_mutex_t + pthread_cond_t
    /// under the class library's LowLevelMonitor (and through it Lock, Monitor, every WaitHandle and the
    /// thread pool). The mutex is handed over on release to the longest waiter, so a thread that
    /// releases and re-acquires in a loop cannot starve the others. A signalled waiter moves from the
    /// condition's queue to the mutex's (it still needs the mutex to return from its wait). All state
    /// changes happen with interrupts off: on one CPU that is what makes them atomic.
    /// </summary>
    public sealed class KernelMonitor
    {
        private readonly ThreadQueue _mutexWaiters = new();
        private readonly ThreadQueue _conditionWaiters = new();
        private KernelThread? _owner;

        /// <summary>The thread holding the mutex, or null.</summary>
        public KernelThread? Owner => _owner;

        /// <summary>Takes the mutex, blocking while another thread holds it. It is not recursive.</summary>
        public void Acquire()
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            AcquireLocked(Current());
            Native.RestoreFlags(flags);
        }

        /// <summary>Gives the mutex back (to the first waiter, if any). The caller must hold it.</summary>
        public void Release()
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            CheckOwner(Current(), "released");
            ReleaseLocked();
            Native.RestoreFlags(flags);
        }

        /// <summary>
        /// Releases the mutex and waits for <see cref="SignalAndRelease"/> or the deadline (Tsc nanoseconds,
        /// ulong.MaxValue for none), then takes the mutex again. True when signalled, false on timeout.
        /// </summary>
        public bool Wait(ulong deadlineNanoseconds)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            KernelThread current = Current();
            CheckOwner(current, "waited on");
            ReleaseLocked();
            current.State = KernelThreadState.Blocked;
            _conditionWaiters.Enqueue(current);
            Scheduler.AddSleeper(current, deadlineNanoseconds);
            Scheduler.BlockCurrent();
            bool signalled = !current.TimedOut;
            if (!signalled)
            {
                AcquireLocked(current);     // a timed-out waiter was taken off the condition's queue only
            }

            Native.RestoreFlags(flags);
            return signalled;
        }

        /// <summary>Wakes one waiter of the condition (if any) and releases the mutex. The caller must hold it.</summary>
        public void SignalAndRelease()
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            CheckOwner(Current(), "signalled");
            KernelThread? waiter = _conditionWaiters.Dequeue();
            if (waiter != null)
            {
                // It returns from its wait owning the mutex: queue it for the mutex, ending its timed wait.
                Scheduler.CancelSleep(waiter);
                _mutexWaiters.Enqueue(waiter);
            }

            ReleaseLocked();
            Native.RestoreFlags(flags);
        }

        private void AcquireLocked(KernelThread current)
        {
            if (_owner == null)
            {
                _owner = current;
                return;
            }

            if (_owner == current)
            {
                Panic.Halt("[sched] a thread acquired a monitor it holds; thread", (ulong)current.Id);
            }

            current.State = KernelThreadState.Blocked;
            _mutexWaiters.Enqueue(current);
            Scheduler.BlockCurrent();       // returns owning the mutex: ReleaseLocked handed it over
        }

        private void ReleaseLocked()
        {
            KernelThread? next = _mutexWaiters.Dequeue();
            _owner = next;
            if (next != null)
            {
                next.TimedOut = false;
                Scheduler.Wake(next);
            }
        }

        private void CheckOwner(KernelThread current, string what)
        {
            if (_owner != current)
            {
                Panic.Halt("[sched] a monitor the thread does not hold was " + what + "; thread", (ulong)current.Id);
            }
        }

        private static KernelThread Current()
        {
            KernelThread? current = Scheduler.Current;
            if (current == null)
            {
                Panic.Halt("[sched] a monitor was used before the scheduler started");
            }

            return current!;
        }
    }
}
