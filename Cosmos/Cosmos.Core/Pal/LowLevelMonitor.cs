using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosmos.Core.Runtime;
using Cosmos.Core.Threading;

namespace Cosmos.Core.Pal
{
    /// <summary>
    /// SystemNative_LowLevelMonitor_*: the mutex plus condition variable under Lock, Monitor, every
    /// WaitHandle and the thread pool (the class library's WaitSubsystem on Unix). Each is a
    /// <see cref="KernelMonitor"/>; the handle the class library keeps is a strong GC handle to it.
    /// Before the scheduler runs there is one thread: acquiring always succeeds, a timed wait sleeps
    /// out its timeout, and an untimed wait is a deadlock, reported rather than hung.
    /// </summary>
    internal static unsafe class LowLevelMonitor
    {
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Create")]
        private static nint Create() => Handles.Allocate(new KernelMonitor(), Handles.Normal);

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Destroy")]
        private static void Destroy(nint monitor) => Handles.Free(monitor);

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Acquire")]
        private static void Acquire(nint monitor)
        {
            if (Scheduler.IsRunning)
            {
                Of(monitor).Acquire();
            }
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Release")]
        private static void Release(nint monitor)
        {
            if (Scheduler.IsRunning)
            {
                Of(monitor).Release();
            }
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Signal_Release")]
        private static void SignalRelease(nint monitor)
        {
            if (Scheduler.IsRunning)
            {
                Of(monitor).SignalAndRelease();
            }
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Wait")]
        private static void Wait(nint monitor)
        {
            if (!Scheduler.IsRunning)
            {
                Panic.Halt("LowLevelMonitor.Wait before the scheduler started: nobody can signal it (deadlock)");
            }

            Of(monitor).Wait(ulong.MaxValue);
        }

        /// <summary>Thread.Sleep, WaitHandle.WaitOne(timeout) and Monitor.Wait(timeout) end here; true when signalled.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_TimedWait")]
        private static int TimedWait(nint monitor, int timeoutMilliseconds)
        {
            ulong timeout = timeoutMilliseconds > 0 ? (ulong)timeoutMilliseconds * 1_000_000UL : 0;
            ulong deadline = Tsc.Nanoseconds + timeout;
            if (!Scheduler.IsRunning)
            {
                SystemTimer.SleepUntil(deadline);
                return 0;
            }

            return Of(monitor).Wait(deadline) ? 1 : 0;
        }

        private static KernelMonitor Of(nint monitor)
        {
            nint target = *(nint*)monitor;
            return Unsafe.As<nint, KernelMonitor>(ref target);
        }
    }
}
