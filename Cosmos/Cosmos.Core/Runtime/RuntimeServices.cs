using System.Runtime;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// Runtime exports about threads, the machine and the collector that have a true answer on a
    /// single-CPU kernel without a collector yet. Each says what it answers and why.
    /// </summary>
    internal static unsafe class RuntimeServices
    {
        private static object[][]? s_threadStaticStorage;

        /// <summary>With --noinlinetls, thread statics live in per-thread arrays reached through this ref.</summary>
        [RuntimeExport("RhGetThreadStaticStorage")]
        private static ref object[][]? ThreadStaticStorage() => ref s_threadStaticStorage;

        [RuntimeExport("RhCurrentOSThreadId")]
        private static ulong CurrentOSThreadId() => 1;

        [RuntimeExport("RhGetProcessCpuCount")]
        private static int ProcessCpuCount() => 1;

        [RuntimeExport("RhSpinWait")]
        private static void SpinWait(int iterations)
        {
            for (int i = 0; i < iterations; i++)
            {
                Native.Pause();
            }
        }

        /// <summary>No other thread to yield to.</summary>
        [RuntimeExport("RhYield")]
        private static bool Yield() => false;

        [RuntimeExport("RhSetThreadExitCallback")]
        private static void SetThreadExitCallback(nint callback)
        {
        }

        [RuntimeExport("RhGetKnobValues")]
        private static uint KnobValues(byte*** keys, byte*** values)
        {
            *keys = null;
            *values = null;
            return 0;
        }

        [RuntimeExport("RhGetCrashInfoBuffer")]
        private static void* CrashInfoBuffer(int* size)
        {
            *size = 0;
            return null;
        }

        [RuntimeExport("RhCreateCrashDumpIfEnabled")]
        private static void CreateCrashDumpIfEnabled(nint exceptionRecord, nint exceptionContext)
        {
        }

        [RuntimeExport("RhGetRuntimeVersion")]
        private static byte* RuntimeVersion(int* length)
        {
            *length = 0;
            return null;
        }

        [RuntimeExport("RhpFallbackFailFast")]
        private static void FallbackFailFast() => Panic.Halt("fail-fast before the class library could report it");

        // --- The collector's questions, answered for the bump heap (issue: garbage collection). ---
        [RuntimeExport("RhpCollect")]
        private static void Collect(int generation, int mode, int lowMemoryP)
        {
        }

        [RuntimeExport("RhpGetGcTotalMemory")]
        private static long GcTotalMemory() => (long)EarlyHeap.AllocatedBytes;

        [RuntimeExport("RhGetGcCollectionCount")]
        private static int GcCollectionCount(int generation, bool getSpecialGCCount) => 0;

        [RuntimeExport("RhGetMaxGcGeneration")]
        private static int MaxGcGeneration() => 0;

        [RuntimeExport("RhSuppressFinalize")]
        private static void SuppressFinalize(object obj)
        {
        }

        [RuntimeExport("RhReRegisterForFinalize")]
        private static bool ReRegisterForFinalize(object obj) => true;

        [RuntimeExport("RhpGetNextFinalizableObject")]
        private static object? NextFinalizableObject() => null;

        [RuntimeExport("RhpSetThreadDoNotTriggerGC")]
        private static void SetThreadDoNotTriggerGC(nint thread, bool value)
        {
        }

        [RuntimeExport("RhpStartNoGCRegion")]
        private static int StartNoGCRegion(long totalSize, bool hasLohSize, long lohSize, bool disallowFullBlockingGC) => 0;

        [RuntimeExport("RhpEndNoGCRegion")]
        private static int EndNoGCRegion() => 0;
    }
}
