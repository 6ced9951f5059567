using System.Runtime;
using System.Runtime.InteropServices;

namespace Cosmos.Core.Threading
{
    /// <summary>The runtime exports that answer for the current thread.</summary>
    public static unsafe partial class Scheduler
    {
        /// <summary>With --noinlinetls, thread statics live in per-thread arrays reached through this ref.</summary>
        [RuntimeExport("RhGetThreadStaticStorage")]
        private static ref object[][]? ThreadStaticStorage()
        {
            KernelThread? current = s_current;
            if (current == null)
            {
                return ref s_bootThreadStatics;
            }

            return ref current.ThreadStatics;
        }

        [RuntimeExport("RhCurrentOSThreadId")]
        private static ulong CurrentOSThreadId() => s_current == null ? 1UL : (ulong)s_current.Id;

        [RuntimeExport("RhYield")]
        private static bool YieldExport() => Yield();

        /// <summary>The class library's OnThreadExit, called on each thread as it ends.</summary>
        [RuntimeExport("RhSetThreadExitCallback")]
        private static void SetThreadExitCallback(delegate* unmanaged<void> callback) => s_exitCallback = callback;

        [RuntimeExport("RhGetCurrentThreadStackBounds")]
        private static void CurrentThreadStackBounds(nint* low, nint* high)
        {
            KernelThread? current = s_current;
            if (current == null)
            {
                ulong top;
                *low = (nint)BootStackBounds(&top);
                *high = (nint)top;
                return;
            }

            *low = (nint)current.StackLow;
            *high = (nint)current.StackHigh;
        }

        [RuntimeExport("RhGetDefaultStackSize")]
        private static nint DefaultStackSize() => (nint)DefaultStackBytes;

        /// <summary>Thread.Name on the running thread (UTF-8): kept as the kernel thread's name for listings.</summary>
        [UnmanagedCallersOnly(EntryPoint = "RhSetCurrentThreadName")]
        private static void SetCurrentThreadName(byte* utf8Name)
        {
            KernelThread? current = s_current;
            if (current != null && utf8Name != null)
            {
                current.Name = new string((sbyte*)utf8Name);
            }
        }

        /// <summary>
        /// SystemNative_GetCpuUtilization: the share of time since the previous call (whose figures the
        /// caller keeps in <paramref name="previous"/>: time, kernel time, user time) the CPU was not idle, in percent.
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetCpuUtilization")]
        private static int CpuUtilization(ulong* previous)
        {
            ulong now = Tsc.Nanoseconds;
            ulong busy = now - s_idleNanoseconds;
            ulong elapsed = now - previous[0];
            ulong busyDelta = busy - previous[1];
            previous[0] = now;
            previous[1] = busy;
            previous[2] = 0;
            return elapsed == 0 ? 0 : (int)System.Math.Min(100UL, busyDelta * 100 / elapsed);
        }
    }
}
