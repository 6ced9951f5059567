using System.Threading;

namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// Keeps a queue's bookkeeping single-owner without disabling interrupts. Driver code enters
    /// before touching shared state; an interrupt handler that finds the gate taken only records
    /// that work is waiting, and the owner does that work as it leaves. The handler never waits,
    /// so it can never deadlock with the code it interrupted.
    /// </summary>
    internal sealed class InterruptGate
    {
        private int _owned;
        private int _deferred;

        /// <summary>Driver (non-interrupt) code takes the gate. On one CPU it is always free here.</summary>
        public void Enter()
        {
            while (Interlocked.CompareExchange(ref _owned, 1, 0) != 0)
            {
                // Another CPU's interrupt handler owns it; it never blocks, so this is short.
            }
        }

        /// <summary>An interrupt handler takes the gate, or leaves the work to the current owner.</summary>
        public bool TryEnterFromInterrupt()
        {
            while (true)
            {
                if (Interlocked.CompareExchange(ref _owned, 1, 0) == 0)
                {
                    return true;
                }

                Volatile.Write(ref _deferred, 1);

                // Still owned: the owner will see the flag when it leaves.
                if (Volatile.Read(ref _owned) != 0)
                {
                    return false;
                }
            }
        }

        /// <summary>
        /// Releases the gate. Returns true, with the gate taken again, when an interrupt deferred work
        /// meanwhile: the caller does it and calls this again.
        /// </summary>
        public bool ExitAndClaimDeferred()
        {
            Volatile.Write(ref _owned, 0);
            if (Volatile.Read(ref _deferred) == 0 || Interlocked.CompareExchange(ref _owned, 1, 0) != 0)
            {
                return false;
            }

            Volatile.Write(ref _deferred, 0);
            return true;
        }
    }
}
