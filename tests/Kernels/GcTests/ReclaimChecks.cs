using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosmos.Core.Memory;
using Cosmos.TestKit;

namespace GcTests
{
    /// <summary>What nothing reaches is reclaimed: garbage, cycles, weak targets, dead keys' values, freed handles.</summary>
    internal static class ReclaimChecks
    {
        public static void Add(TestRunner tests)
        {
            tests.Add("gc.garbage-returns-memory-to-baseline", () =>
            {
                long baseline = Shapes.Live();
                Shapes.Garbage(24L * 1024 * 1024);
                long after = Shapes.Live();
                Assert.True(after <= baseline + (baseline / 10), $"live bytes {after} within 10% of the baseline {baseline}");
            });

            tests.Add("gc.cycle-is-reclaimed", () =>
            {
                WeakReference weak = MakeCycle();
                GC.Collect();
                Assert.False(weak.IsAlive, "a two-object cycle nothing else reaches is still alive");
            });

            tests.Add("gc.weak-reference-is-cleared", () =>
            {
                WeakReference weak = MakeWeak();
                GC.Collect();
                Assert.False(weak.IsAlive, "WeakReference.IsAlive of an unreachable object");
                Assert.Null(weak.Target, "its Target");
            });

            tests.Add("gc.generic-weak-reference-is-cleared", () =>
            {
                WeakReference<Node> weak = MakeGenericWeak();
                GC.Collect();
                Assert.False(weak.TryGetTarget(out _), "WeakReference<T>.TryGetTarget of an unreachable object");
            });

            tests.Add("gc.conditional-weak-table-value-dies-with-its-key", () =>
            {
                var table = new ConditionalWeakTable<object, Node>();
                WeakReference value = AddEntryWithDeadKey(table);
                GC.Collect();
                GC.Collect();
                Assert.False(value.IsAlive, "the value of a dead key");
            });

            tests.Add("gc.freed-handle-releases-its-target", () =>
            {
                WeakReference weak = HandleThenFree();
                GC.Collect();
                Assert.False(weak.IsAlive, "an object whose only handle was freed");
            });

            tests.Add("gc.large-object-is-reclaimed", () =>
            {
                long baseline = Shapes.Live();
                WeakReference weak = MakeLarge(8 * 1024 * 1024);
                GC.Collect();
                Assert.False(weak.IsAlive, "an unreachable 8 MB array");
                long after = GC.GetTotalMemory(false);
                Assert.True(after < baseline + (1024 * 1024), $"live bytes {after} back near {baseline}");
            });

            tests.Add("gc.total-memory-counts-live-objects", () =>
            {
                long baseline = Shapes.Live();
                byte[] kept = new byte[2 * 1024 * 1024];
                long with = Shapes.Live();
                Assert.True(with >= baseline + kept.Length, $"live bytes {with} include the 2 MB array kept (baseline {baseline})");
                GC.KeepAlive(kept);
            });

            tests.Add("gc.allocation-pressure-triggers-collections", () =>
            {
                int before = GC.CollectionCount(0);
                Shapes.Garbage((long)(GcHeap.TotalBytes * 3));
                int collections = GC.CollectionCount(0) - before;
                Assert.True(collections >= 2, $"{collections} collections while allocating three heaps' worth without GC.Collect");
            });

            tests.Add("gc.native-memory-comes-back", () =>
            {
                ulong baseline = GcHeap.NativeBytes;
                for (int i = 0; i < 20_000; i++)
                {
                    nint memory = Marshal.AllocHGlobal(4096 + (i % 300));
                    Marshal.WriteByte(memory, 4095, 1);
                    Marshal.FreeHGlobal(memory);
                }

                Assert.True(GcHeap.NativeBytes <= baseline + 65536, $"native bytes {GcHeap.NativeBytes} back near {baseline} after 20,000 alloc/free pairs");
            });

            tests.Add("gc.memory-info-reports-the-heap", () =>
            {
                byte[] kept = new byte[1024 * 1024];
                GC.Collect();
                GCMemoryInfo info = GC.GetGCMemoryInfo();
                Assert.Equal((long)GcHeap.TotalBytes, info.TotalAvailableMemoryBytes, "TotalAvailableMemoryBytes");
                Assert.True(info.HeapSizeBytes >= kept.Length, $"HeapSizeBytes {info.HeapSizeBytes} includes a live 1 MB array");
                Assert.Equal((long)GC.CollectionCount(0), info.Index, "Index is the last collection's number");
                Assert.True(info.PauseDurations[0] > TimeSpan.Zero, "the last pause has a duration");
                GC.KeepAlive(kept);
            });

            tests.Add("gc.native-allocation-collects-when-garbage-fills-the-heap", () =>
            {
                Node list = Shapes.MakeList(500, 9);
                long expected = Shapes.Checksum(list);
                // Garbage until less than 4 MB of the heap is free, then ask for 8 MB of native memory: only a
                // collection started inside the allocator (below a P/Invoke into libSystem.Native) can give it.
                int before = GC.CollectionCount(0);
                FillWithGarbage(4UL * 1024 * 1024);
                nint memory = Marshal.AllocHGlobal(8 * 1024 * 1024);
                Marshal.WriteByte(memory, (8 * 1024 * 1024) - 1, 7);
                Marshal.FreeHGlobal(memory);
                Assert.True(GC.CollectionCount(0) > before, "a collection ran for the native allocation");
                Assert.Equal(expected, Shapes.Checksum(list), "a list held by a local across that collection");
            });

            tests.Add("gc.pause-is-measured", () =>
            {
                GC.Collect();
                Assert.True(Cosmos.Core.Runtime.Gc.Collector.LastPauseNanoseconds > 0, "the last collection's pause");
            });
        }

        // Allocates garbage without a collection until at most `free` bytes of the heap's blocks are left.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FillWithGarbage(ulong free)
        {
            GC.Collect();
            int collections = GC.CollectionCount(0);
            while (GcHeap.FreeBytes > free && GC.CollectionCount(0) == collections)
            {
                GC.KeepAlive(new byte[60_000]);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference MakeCycle()
        {
            var a = new Node(1, null);
            var b = new Node(2, a);
            a.Next = b;
            return new WeakReference(a);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference MakeWeak() => new WeakReference(new Node(3, null));

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference<Node> MakeGenericWeak() => new WeakReference<Node>(new Node(4, null));

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference AddEntryWithDeadKey(ConditionalWeakTable<object, Node> table)
        {
            var value = new Node(5, null);
            table.Add(new object(), value);
            return new WeakReference(value);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference HandleThenFree()
        {
            var target = new Node(6, null);
            GCHandle handle = GCHandle.Alloc(target);
            handle.Free();
            return new WeakReference(target);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference MakeLarge(int bytes) => new WeakReference(new byte[bytes]);
    }
}
