using System;
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

        // --- The collector (Runtime/Gc/Collector.cs): one generation, non-moving mark-sweep. ---
        [RuntimeExport("RhpCollect")]
        private static void Collect(int generation, int mode, int lowMemoryP) => Gc.Collector.Collect();

        [RuntimeExport("RhpGetGcTotalMemory")]
        private static long GcTotalMemory() => (long)(GcHeap.IsInitialized ? GcHeap.ManagedBytes : EarlyHeap.AllocatedBytes);

        // GC.GetTotalPauseDuration: every collection's pause so far, in TimeSpan ticks (100 ns).
        [RuntimeExport("RhGetTotalPauseDuration")]
        private static long TotalPauseDuration() => (long)(Gc.Collector.TotalPauseNanoseconds / 100);

        [RuntimeExport("RhGetGcCollectionCount")]
        private static int GcCollectionCount(int generation, bool getSpecialGCCount) => Gc.Collector.CollectionCount;

        /// <summary>
        /// GC.GetGCMemoryInfo: fills the class library's GCMemoryInfoData (sequential: ten longs, two ints, two
        /// bytes, five GCGenerationInfo of four longs from offset 96, two TimeSpans) from the heap and the last
        /// collection. One generation (0, as RhGetMaxGcGeneration says); nothing is compacted or concurrent.
        /// </summary>
        [RuntimeExport("RhGetMemoryInfo")]
        private static void GetMemoryInfo(byte* info, int kind)
        {
            long* longs = (long*)info;
            long total = (long)GcHeap.TotalBytes;
            long committed = total - (long)GcHeap.FreeBytes;
            long live = (long)GcHeap.ManagedBytes;
            longs[0] = total / 10 * 9;                                           // high memory load threshold
            longs[1] = total;                                                    // total available
            longs[2] = committed;                                                // memory load
            longs[3] = live;                                                     // heap size
            longs[4] = Math.Max(0, committed - live - (long)GcHeap.NativeBytes); // fragmentation: free room in used blocks
            longs[5] = committed;                                                // committed
            longs[6] = (long)Gc.Collector.LastLiveBytes;                         // promoted (survived the last collection)
            longs[7] = 0;                                                        // pinned objects
            longs[8] = Gc.Finalization.PendingCount;                             // finalization pending
            longs[9] = Gc.Collector.CollectionCount;                             // index of the last collection
            ulong uptime = Tsc.Nanoseconds;
            *(int*)(info + 80) = 0;
            *(int*)(info + 84) = uptime == 0 ? 0 : (int)(Gc.Collector.TotalPauseNanoseconds * 100 / uptime);
            info[88] = 0;
            info[89] = 0;
            long* generations = (long*)(info + 96);
            new Span<long>(generations, 5 * 4).Clear();
            generations[0] = (long)(Gc.Collector.LastLiveBytes + Gc.Collector.LastFreedBytes);
            generations[2] = (long)Gc.Collector.LastLiveBytes;
            long* pauses = generations + (5 * 4);
            pauses[0] = (long)(Gc.Collector.LastPauseNanoseconds / 100);
            pauses[1] = 0;
        }

        [RuntimeExport("RhGetMaxGcGeneration")]
        private static int MaxGcGeneration() => 0;

        // CoreLib calls this (no arguments) in DispatchEx before it runs second-pass funclets; NativeAOT's
        // funclet thunks clear the state again around each funclet. Our stack walk (Gc/StackRoots) copes with a
        // collection between funclets, so there is no state to keep.
        [RuntimeExport("RhpSetThreadDoNotTriggerGC")]
        private static void SetThreadDoNotTriggerGC()
        {
        }

        [RuntimeExport("RhpStartNoGCRegion")]
        private static int StartNoGCRegion(long totalSize, bool hasLohSize, long lohSize, bool disallowFullBlockingGC) => 0;

        [RuntimeExport("RhpEndNoGCRegion")]
        private static int EndNoGCRegion() => 0;
    }
}
