namespace Cosmos.Core.Threading
{
    /// <summary>
    /// A first-in first-out queue of threads linked through <see cref="KernelThread.QueueNext"/>: a
    /// thread is in at most one queue (<see cref="KernelThread.Queue"/>), so the scheduler can take
    /// it out of whichever holds it when a timed wait expires. Used with interrupts off only; it
    /// never allocates.
    /// </summary>
    internal sealed class ThreadQueue
    {
        private KernelThread? _head;
        private KernelThread? _tail;

        public bool IsEmpty => _head == null;

        public int Count { get; private set; }

        public void Enqueue(KernelThread thread)
        {
            if (thread.Queue != null)
            {
                Runtime.Panic.Halt("[sched] a thread was queued twice; thread", (ulong)thread.Id);
            }

            thread.Queue = this;
            thread.QueueNext = null;
            if (_tail == null)
            {
                _head = thread;
            }
            else
            {
                _tail.QueueNext = thread;
            }

            _tail = thread;
            Count++;
        }

        public KernelThread? Dequeue()
        {
            KernelThread? thread = _head;
            if (thread != null)
            {
                _head = thread.QueueNext;
                if (_head == null)
                {
                    _tail = null;
                }

                thread.QueueNext = null;
                thread.Queue = null;
                Count--;
            }

            return thread;
        }

        public bool Remove(KernelThread thread)
        {
            KernelThread? previous = null;
            for (KernelThread? at = _head; at != null; previous = at, at = at.QueueNext)
            {
                if (at != thread)
                {
                    continue;
                }

                if (previous == null)
                {
                    _head = at.QueueNext;
                }
                else
                {
                    previous.QueueNext = at.QueueNext;
                }

                if (_tail == at)
                {
                    _tail = previous;
                }

                at.QueueNext = null;
                at.Queue = null;
                Count--;
                return true;
            }

            return false;
        }
    }
}
