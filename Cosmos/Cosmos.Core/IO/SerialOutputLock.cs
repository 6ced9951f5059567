using System.Threading;
using Cosmos.Core.Threading;

namespace Cosmos.Core.IO
{
    /// <summary>
    /// Keeps whole writes to the serial port from interleaving between threads (a network thread's log line
    /// inside a test kernel's protocol line). Writers that emit a line or a buffer at once hold it for that
    /// write. It is not taken before the scheduler runs (one thread), in interrupt context (which must not
    /// block), or by a thread that holds it already; panics write without it.
    /// </summary>
    public static class SerialOutputLock
    {
        private static KernelMonitor? s_monitor;

        /// <summary>Takes the lock where it applies; pass the result to <see cref="Exit"/>.</summary>
        public static bool Enter()
        {
            KernelThread? current = Scheduler.Current;
            if (current == null || Interrupts.Depth > 0)
            {
                return false;
            }

            KernelMonitor monitor = s_monitor ?? Create();
            if (monitor.Owner == current)
            {
                return false;
            }

            monitor.Acquire();
            return true;
        }

        /// <summary>Releases the lock if <see cref="Enter"/> took it.</summary>
        public static void Exit(bool taken)
        {
            if (taken)
            {
                s_monitor!.Release();
            }
        }

        private static KernelMonitor Create()
        {
            Interlocked.CompareExchange(ref s_monitor, new KernelMonitor(), null);
            return s_monitor!;
        }
    }
}
