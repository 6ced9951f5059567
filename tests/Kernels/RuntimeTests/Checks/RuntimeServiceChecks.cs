using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// The runtime services behind common BCL features: thread statics, GC handles (weak,
    /// pinned, dependent), interlocked reference exchange (the checked barrier helpers), Monitor,
    /// the monotonic clock, stack traces of the current thread, and lazy initialisation.
    /// </summary>
    internal static class RuntimeServiceChecks
    {
        [ThreadStatic]
        private static int t_counter;

        [ThreadStatic]
        private static string? t_name;

        public static void Register(TestRunner tests)
        {
            tests.Add("runtime.thread-statics", ThreadStatics);
            tests.Add("runtime.weak-references", WeakReferences);
            tests.Add("runtime.gc-handles-normal-and-pinned", GcHandlesNormalAndPinned);
            tests.Add("runtime.conditional-weak-table", ConditionalWeakTableCheck);
            tests.Add("runtime.interlocked-on-references", InterlockedOnReferences);
            tests.Add("runtime.monitor-lock", MonitorLock);
            tests.Add("runtime.stopwatch-is-monotonic", StopwatchIsMonotonic);
            tests.Add("runtime.current-stack-trace", CurrentStackTrace);
            tests.Add("runtime.lazy-and-random", LazyAndRandom);
        }

        private sealed class Key
        {
            public int Id;
        }

        private static void ThreadStatics()
        {
            t_counter = 0;
            for (int i = 0; i < 10; i++)
            {
                t_counter++;
            }

            t_name = "kernel" + Opaque.Value(1);
            Assert.Equal(10, t_counter, "[ThreadStatic] int");
            Assert.Equal("kernel1", t_name, "[ThreadStatic] string");
            var local = new ThreadLocal<int>(() => 41);
            local.Value++;
            Assert.Equal(42, local.Value, "ThreadLocal<int>");
            Assert.Equal(1, Environment.CurrentManagedThreadId, "the kernel's one thread");
        }

        private static void WeakReferences()
        {
            var target = new Key { Id = 7 };
            var weak = new WeakReference(target);
            var typed = new WeakReference<Key>(target);
            Assert.True(weak.IsAlive, "IsAlive while referenced");
            Assert.Same(target, weak.Target, "WeakReference.Target");
            Assert.True(typed.TryGetTarget(out Key? got) && got!.Id == 7, "WeakReference<T>.TryGetTarget");
            var other = new Key { Id = 8 };
            typed.SetTarget(other);
            Assert.True(typed.TryGetTarget(out got) && got!.Id == 8, "after SetTarget");
            GC.KeepAlive(target);
        }

        private static unsafe void GcHandlesNormalAndPinned()
        {
            var key = new Key { Id = 3 };
            GCHandle normal = GCHandle.Alloc(key);
            Assert.Same(key, normal.Target, "GCHandle.Target");
            IntPtr asIntPtr = GCHandle.ToIntPtr(normal);
            Assert.Same(key, GCHandle.FromIntPtr(asIntPtr).Target, "round trip through IntPtr");
            normal.Free();
            Assert.False(normal.IsAllocated, "IsAllocated after Free");

            int[] data = { 10, 20, 30 };
            GCHandle pinned = GCHandle.Alloc(data, GCHandleType.Pinned);
            int* first = (int*)pinned.AddrOfPinnedObject();
            Assert.Equal(20, first[1], "AddrOfPinnedObject points at the elements");
            first[2] = 33;
            Assert.Equal(33, data[2], "a write through the pinned address");
            pinned.Free();
            fixed (int* fixedFirst = data)
            {
                Assert.True(fixedFirst == first, "fixed and the pinned handle agree");
            }
        }

        private static void ConditionalWeakTableCheck()
        {
            var table = new ConditionalWeakTable<Key, string>();
            var a = new Key { Id = 1 };
            var b = new Key { Id = 2 };
            table.Add(a, "one");
            table.AddOrUpdate(b, "two");
            Assert.True(table.TryGetValue(a, out string? first) && first == "one", "TryGetValue(a)");
            Assert.Equal("two", table.GetValue(b, _ => "created"), "GetValue(b) finds the existing value");
            Assert.Equal("created", table.GetValue(new Key(), _ => "created"), "GetValue of a new key creates");
            Assert.Throws<ArgumentException>(() => table.Add(a, "again"), "adding a key twice");
            Assert.True(table.Remove(a), "Remove(a)");
            Assert.False(table.TryGetValue(a, out _), "after Remove");
        }

        private static void InterlockedOnReferences()
        {
            object first = "first", second = "second";
            object location = first;
            Assert.Same(first, Interlocked.CompareExchange(ref location, second, first), "CompareExchange returns the original");
            Assert.Same(second, location, "CompareExchange stored");
            Assert.Same(second, Interlocked.CompareExchange(ref location, first, "not the comparand"), "failed CompareExchange returns the current value");
            Assert.Same(second, location, "a failed CompareExchange leaves the location alone");
            Assert.Same(second, Interlocked.Exchange(ref location, first), "Exchange returns the original");
            Assert.Same(first, location, "Exchange stored");
            var holder = new Key[1];
            var key = new Key { Id = 9 };
            Assert.Null(Interlocked.CompareExchange(ref holder[0], key, null), "CompareExchange into an array element");
            Assert.Same(key, holder[0], "stored into the array");
            long counter = 0;
            Interlocked.Increment(ref counter);
            Interlocked.Add(ref counter, 41);
            Assert.Equal(42L, Interlocked.Read(ref counter), "Interlocked arithmetic");
        }

        private static void MonitorLock()
        {
            var gate = new object();
            int entered = 0;
            lock (gate)
            {
                entered++;
                Assert.True(Monitor.IsEntered(gate), "IsEntered inside lock");
                lock (gate)
                {
                    entered++;     // re-entrant
                }
            }

            Assert.False(Monitor.IsEntered(gate), "released after lock");
            Assert.Throws<InvalidOperationException>(() =>
            {
                lock (gate)
                {
                    throw new InvalidOperationException("inside lock");
                }
            }, "exception inside lock");
            Assert.False(Monitor.IsEntered(gate), "released after an exception");
            Assert.True(Monitor.TryEnter(gate), "TryEnter");
            Monitor.Exit(gate);
            var modern = new Lock();
            using (modern.EnterScope())
            {
                entered++;
            }

            Assert.Equal(3, entered, "every block ran");
        }

        private static void StopwatchIsMonotonic()
        {
            Assert.True(Stopwatch.IsHighResolution, "IsHighResolution");
            Assert.Equal(1_000_000_000L, Stopwatch.Frequency, "Frequency (nanoseconds, as on Unix)");
            var watch = Stopwatch.StartNew();
            long previous = Stopwatch.GetTimestamp();
            for (int i = 0; i < 1000; i++)
            {
                long now = Stopwatch.GetTimestamp();
                if (now < previous)
                {
                    Assert.Fail($"GetTimestamp went backwards: {previous} then {now}");
                }

                previous = now;
            }

            Assert.True(watch.ElapsedTicks > 0, "a running Stopwatch has elapsed time");
            Assert.True(Environment.TickCount64 >= 0, "TickCount64");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string CaptureTraceHere() => new StackTrace().ToString();

        private static void CurrentStackTrace()
        {
            string trace = CaptureTraceHere();
            Assert.Contains("RuntimeServiceChecks.CaptureTraceHere", trace, "new StackTrace() names the capturing method");
            Assert.Contains("RuntimeServiceChecks.CurrentStackTrace", trace, "and its caller");
            Assert.Contains("RuntimeServiceChecks.CurrentStackTrace", Environment.StackTrace, "Environment.StackTrace");
            Assert.True(new StackTrace().FrameCount >= 3, "the kernel's call chain is several frames deep");
        }

        private static void LazyAndRandom()
        {
            int factoryRuns = 0;
            var lazy = new Lazy<string>(() =>
            {
                factoryRuns++;
                return "made";
            });
            Assert.False(lazy.IsValueCreated, "not created before Value");
            Assert.Equal("made", lazy.Value, "Value");
            Assert.Equal("made", lazy.Value, "Value again");
            Assert.Equal(1, factoryRuns, "the factory ran once");
            var first = new Random(12345);
            var second = new Random(12345);
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(first.Next(), second.Next(), "seeded Random is deterministic");
            }

            int value = Random.Shared.Next(10, 20);
            Assert.True(value >= 10 && value < 20, "Random.Shared.Next(10, 20) in range, got " + value);
            Assert.Equal("abc".GetHashCode(), ("ab" + Opaque.Value("c")).GetHashCode(), "string hash codes agree within a run");
            Guid guid = Guid.NewGuid();
            Assert.NotEqual(Guid.Empty, guid, "Guid.NewGuid");
            Assert.Equal(4, (guid.ToByteArray()[7] >> 4) & 0xF, "Guid.NewGuid is version 4");
        }
    }
}
