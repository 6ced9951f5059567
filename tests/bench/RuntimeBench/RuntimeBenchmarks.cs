using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace RuntimeBench
{
    /// <summary>
    /// The object every figure allocates: 32 bytes on x64 (the header word, the MethodTable pointer,
    /// one reference and one long), the smallest object that can also form a chain for the collector to follow.
    /// </summary>
    public sealed class Node
    {
        /// <summary>The previous node of the live set (null in the allocation-rate loop).</summary>
        public Node? Next;

        /// <summary>A payload, so that the fields are not dead stores.</summary>
        public long Value;
    }

    /// <summary>How much work each figure does; the same defaults on both sides, overridable by <c>key=value</c>.</summary>
    public sealed class BenchSettings
    {
        /// <summary>Objects allocated for the allocation rate (after a tenth as many to warm up).</summary>
        public int Allocations { get; set; } = 4_000_000;

        /// <summary>Objects kept alive while the pauses are measured.</summary>
        public int LiveObjects { get; set; } = 1_000_000;

        /// <summary>Measured GC.Collect() calls (after one unmeasured one that settles the live set).</summary>
        public int Collections { get; set; } = 10;

        /// <summary>Round trips between the two threads (after a tenth as many to warm up).</summary>
        public int RoundTrips { get; set; } = 20_000;

        /// <summary>
        /// The operating system's count of context switches, where the side can read one (the kernel's scheduler;
        /// Linux's system-wide <c>ctxt</c> in /proc/stat): a check that the ping-pong really switched.
        /// </summary>
        public Func<long>? SwitchCounter { get; set; }

        /// <summary>Reads <c>alloc=</c>, <c>live=</c>, <c>collections=</c> and <c>roundtrips=</c> from space-separated words; others are ignored.</summary>
        public static BenchSettings Parse(IEnumerable<string> words)
        {
            var settings = new BenchSettings();
            foreach (string word in words)
            {
                int equals = word.IndexOf('=');
                if (equals <= 0 || !int.TryParse(word.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
                {
                    continue;
                }

                switch (word.Substring(0, equals))
                {
                    case "alloc": settings.Allocations = value; break;
                    case "live": settings.LiveObjects = value; break;
                    case "collections": settings.Collections = value; break;
                    case "roundtrips": settings.RoundTrips = value; break;
                }
            }

            return settings;
        }
    }

    /// <summary>
    /// Runtime figures measured by the same source in the Cosmos bench kernel and in a NativeAOT linux-x64
    /// program: allocation rate, GC.Collect() pauses over a live set, and the cost of a thread switch through
    /// a pair of SemaphoreSlims. Each figure is one <c>RESULT name value</c> line, times from Stopwatch.
    /// </summary>
    public static class RuntimeBenchmarks
    {
        // Stores into a static array slot make every Node escape, so escape analysis cannot put it on the stack.
        private static Node?[] s_ring = new Node?[1024];
        private static Node[]? s_live;

        /// <summary>Runs every figure in order and hands each result line to <paramref name="report"/>.</summary>
        public static void Run(BenchSettings settings, Action<string> report)
        {
            Report(report, "processors", Environment.ProcessorCount);
            AllocationRate(settings, report);
            CollectionPauses(settings, report);
            ContextSwitch(settings, report);
        }

        /// <summary>Objects per second with nothing else live: the allocator's fast path plus the collections it triggers.</summary>
        public static void AllocationRate(BenchSettings settings, Action<string> report)
        {
            Allocate(settings.Allocations / 10);
            int collectionsBefore = GC.CollectionCount(0);
            TimeSpan pausedBefore = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            Allocate(settings.Allocations);
            double seconds = clock.Elapsed.TotalSeconds;
            int collections = GC.CollectionCount(0) - collectionsBefore;
            TimeSpan paused = GC.GetTotalPauseDuration() - pausedBefore;
            Array.Clear(s_ring);
            Report(report, "alloc-objects", settings.Allocations);
            Report(report, "alloc-seconds", seconds);
            Report(report, "alloc-objects-per-second", settings.Allocations / seconds);
            Report(report, "alloc-collections", collections);
            Report(report, "alloc-gc-pause-ms", paused.TotalMilliseconds);
        }

        private static void Allocate(int count)
        {
            Node?[] ring = s_ring;
            for (int i = 0; i < count; i++)
            {
                ring[i & 1023] = new Node { Value = i };
            }
        }

        /// <summary>
        /// GC.Collect() pauses with <see cref="BenchSettings.LiveObjects"/> chained nodes held by one array: the
        /// Stopwatch around each call and the pause the runtime itself reports (GCMemoryInfo.PauseDurations[0]).
        /// </summary>
        public static void CollectionPauses(BenchSettings settings, Action<string> report)
        {
            GC.Collect();
            var live = new Node[settings.LiveObjects];
            Node? previous = null;
            for (int i = 0; i < live.Length; i++)
            {
                previous = live[i] = new Node { Next = previous, Value = i };
            }

            s_live = live;
            GC.Collect();       // settles the live set (on a generational collector: promotes it to the oldest generation)

            var wall = new double[settings.Collections];
            var reported = new double[settings.Collections];
            for (int i = 0; i < wall.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                GC.Collect();
                wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                reported[i] = GC.GetGCMemoryInfo(GCKind.Any).PauseDurations[0].TotalMilliseconds;
            }

            GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.Any);
            Report(report, "gc-heap-total-bytes", info.TotalAvailableMemoryBytes);
            Report(report, "gc-heap-size-bytes", info.HeapSizeBytes);
            Report(report, "gc-committed-bytes", info.TotalCommittedBytes);
            Report(report, "gc-live-objects", CountChain(s_live[^1]));
            Report(report, "gc-pause-ms-median", Median(wall));
            Report(report, "gc-pause-ms-max", Max(wall));
            Report(report, "gc-pause-ms-min", Min(wall));
            Report(report, "gc-reported-pause-ms-median", Median(reported));
            Report(report, "gc-reported-pause-ms-max", Max(reported));
            s_live = null;
            GC.Collect();
        }

        private static int CountChain(Node? node)
        {
            int count = 0;
            for (; node != null; node = node.Next)
            {
                count++;
            }

            return count;
        }

        /// <summary>
        /// Two threads hand a turn back and forth through two SemaphoreSlims, so every hand-over blocks one thread
        /// and wakes the other: the time per switch is half a round trip.
        /// </summary>
        public static void ContextSwitch(BenchSettings settings, Action<string> report)
        {
            using var ping = new SemaphoreSlim(0);
            using var pong = new SemaphoreSlim(0);
            int warmUp = settings.RoundTrips / 10, measured = settings.RoundTrips;
            var partner = new Thread(() =>
            {
                for (int i = 0; i < warmUp + measured; i++)
                {
                    ping.Wait();
                    pong.Release();
                }
            });
            partner.Start();
            for (int i = 0; i < warmUp; i++)
            {
                ping.Release();
                pong.Wait();
            }

            long switchesBefore = settings.SwitchCounter?.Invoke() ?? 0;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < measured; i++)
            {
                ping.Release();
                pong.Wait();
            }

            double seconds = clock.Elapsed.TotalSeconds;
            long switches = (settings.SwitchCounter?.Invoke() ?? 0) - switchesBefore;
            partner.Join();
            Report(report, "switch-round-trips", measured);
            Report(report, "switch-seconds", seconds);
            Report(report, "switch-microseconds", seconds * 1e6 / (2.0 * measured));
            if (settings.SwitchCounter != null)
            {
                Report(report, "switch-os-count", switches);
            }
        }

        private static double Median(double[] values)
        {
            double[] sorted = (double[])values.Clone();
            Array.Sort(sorted);
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        private static double Max(double[] values)
        {
            double max = values[0];
            foreach (double value in values)
            {
                max = Math.Max(max, value);
            }

            return max;
        }

        private static double Min(double[] values)
        {
            double min = values[0];
            foreach (double value in values)
            {
                min = Math.Min(min, value);
            }

            return min;
        }

        private static void Report(Action<string> report, string name, double value) =>
            report("RESULT " + name + " " + value.ToString("R", CultureInfo.InvariantCulture));
    }
}
