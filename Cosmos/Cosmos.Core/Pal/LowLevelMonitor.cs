using System.Runtime.InteropServices;
using Cosmos.Core.Memory;
using Cosmos.Core.Runtime;

namespace Cosmos.Core.Pal
{
    /// <summary>
    /// SystemNative_LowLevelMonitor_*: the mutex plus condition variable under Lock, Monitor and
    /// the thread pool. With one thread of execution, acquire always succeeds, a timed wait sleeps
    /// out its timeout with the CPU halted, and waiting for a signal nobody else can send is a
    /// deadlock, which we report rather than hang.
    /// </summary>
    internal static unsafe class LowLevelMonitor
    {
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Create")]
        private static void* Create() => EarlyHeap.Allocate(16);

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Destroy")]
        private static void Destroy(void* monitor)
        {
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Acquire")]
        private static void Acquire(int* monitor) => monitor[0]++;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Release")]
        private static void Release(int* monitor) => monitor[0]--;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Signal_Release")]
        private static void SignalRelease(int* monitor) => monitor[0]--;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_Wait")]
        private static void Wait(int* monitor) => Panic.Halt("LowLevelMonitor.Wait with a single thread: deadlock");

        /// <summary>
        /// A timed wait with nobody to signal: the CPU halts until the timeout, then reports a
        /// timeout (0). Thread.Sleep, WaitHandle.WaitOne(timeout) and Monitor.Wait(timeout) all end
        /// here (through the class library's WaitSubsystem on Unix).
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LowLevelMonitor_TimedWait")]
        private static int TimedWait(int* monitor, int timeoutMilliseconds)
        {
            ulong timeout = timeoutMilliseconds > 0 ? (ulong)timeoutMilliseconds * 1_000_000UL : 0;
            SystemTimer.SleepUntil(Tsc.Nanoseconds + timeout);
            return 0;
        }
    }
}
