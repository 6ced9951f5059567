using System;
using System.Diagnostics;
using System.Threading;
using Cosmos.Core.Threading;
using Cosmos.TestKit;

namespace ThreadTests
{
    /// <summary>Threads themselves: start, join, sleep, identity, thread statics, preemption, exit.</summary>
    internal static class ThreadChecks
    {
        [ThreadStatic]
        private static int t_value;

        private static volatile bool s_stop;

        public static void Add(TestRunner tests)
        {
            tests.Add("thread.start-runs-the-delegate", () =>
            {
                int ran = 0;
                var thread = new Thread(() => ran = 42);
                thread.Start();
                thread.Join();
                Assert.Equal(42, ran, "value set by the thread");
            });

            tests.Add("thread.parameterized-start-passes-its-argument", () =>
            {
                object? seen = null;
                var thread = new Thread(argument => seen = argument);
                thread.Start("payload");
                thread.Join();
                Assert.Equal("payload", seen as string, "argument seen by the thread");
            });

            tests.Add("thread.join-waits-for-the-end", () =>
            {
                bool finished = false;
                var watch = Stopwatch.StartNew();
                var thread = new Thread(() =>
                {
                    Thread.Sleep(50);
                    finished = true;
                });
                thread.Start();
                thread.Join();
                Assert.True(finished, "Join returned before the thread finished");
                Assert.True(watch.ElapsedMilliseconds >= 45, $"Join returned after {watch.ElapsedMilliseconds} ms; the thread slept 50");
            });

            tests.Add("thread.join-with-timeout-on-a-blocked-thread", () =>
            {
                using var release = new ManualResetEventSlim(false);
                var thread = new Thread(() => release.Wait());
                thread.Start();
                Assert.False(thread.Join(30), "Join(30) on a thread waiting for an event");
                Assert.True(thread.IsAlive, "IsAlive while it waits");
                release.Set();
                Assert.True(thread.Join(5000), "Join after the event was set");
                Assert.False(thread.IsAlive, "IsAlive after it ended");
            });

            tests.Add("thread.identity-inside-the-thread", () =>
            {
                Thread? current = null;
                int managedId = 0;
                string? name = null;
                var thread = new Thread(() =>
                {
                    current = Thread.CurrentThread;
                    managedId = Environment.CurrentManagedThreadId;
                    name = Thread.CurrentThread.Name;
                })
                { Name = "worker-a" };
                thread.Start();
                thread.Join();
                Assert.Same(thread, current, "Thread.CurrentThread inside the thread");
                Assert.Equal(thread.ManagedThreadId, managedId, "Environment.CurrentManagedThreadId");
                Assert.NotEqual(Environment.CurrentManagedThreadId, managedId, "the boot thread's id");
                Assert.Equal("worker-a", name, "Name");
            });

            tests.Add("thread.thread-static-is-per-thread", () =>
            {
                t_value = 1;
                int before = -1, after = -1;
                var thread = new Thread(() =>
                {
                    before = t_value;
                    t_value = 2;
                    Thread.Sleep(5);
                    after = t_value;
                });
                thread.Start();
                thread.Join();
                Assert.Equal(0, before, "a new thread's [ThreadStatic] starts at default");
                Assert.Equal(2, after, "the thread's own value");
                Assert.Equal(1, t_value, "the boot thread's value after the other thread wrote its own");
            });

            tests.Add("thread.thread-local-values-are-per-thread", () =>
            {
                using var local = new ThreadLocal<string>(() => "init-" + Environment.CurrentManagedThreadId, trackAllValues: true);
                local.Value = "boot";
                var threads = new Thread[3];
                for (int i = 0; i < threads.Length; i++)
                {
                    threads[i] = new Thread(() => _ = local.Value);
                    threads[i].Start();
                }

                foreach (Thread thread in threads)
                {
                    thread.Join();
                }

                Assert.Equal("boot", local.Value, "the boot thread's value");
                Assert.Equal(4, local.Values.Count, "values tracked (boot + 3 threads)");
            });

            tests.Add("thread.exceptions-are-caught-inside-a-thread", () =>
            {
                string log = string.Empty;
                var thread = new Thread(() =>
                {
                    try
                    {
                        try
                        {
                            throw new InvalidOperationException("inner");
                        }
                        finally
                        {
                            log += "finally;";
                        }
                    }
                    catch (InvalidOperationException exception)
                    {
                        log += "caught " + exception.Message;
                    }
                });
                thread.Start();
                thread.Join();
                Assert.Equal("finally;caught inner", log, "the thread's own try/finally/catch");
            });

            tests.Add("thread.fifty-threads-all-run", () =>
            {
                int counter = 0;
                var threads = new Thread[50];
                for (int i = 0; i < threads.Length; i++)
                {
                    threads[i] = new Thread(() =>
                    {
                        for (int n = 0; n < 1000; n++)
                        {
                            Interlocked.Increment(ref counter);
                        }
                    });
                    threads[i].Start();
                }

                foreach (Thread thread in threads)
                {
                    thread.Join();
                }

                Assert.Equal(50_000, counter, "Interlocked increments by 50 threads");
            });

            tests.Add("thread.busy-threads-are-preempted", () =>
            {
                // Neither thread yields or blocks: both advance only because the timer takes the CPU away.
                long a = 0, b = 0;
                s_stop = false;
                var first = new Thread(() => { while (!s_stop) { a++; } });
                var second = new Thread(() => { while (!s_stop) { b++; } });
                first.Start();
                second.Start();
                ulong preemptionsBefore = Scheduler.Switches;
                Thread.Sleep(100);
                long seenA = Volatile.Read(ref a), seenB = Volatile.Read(ref b);
                Thread.Sleep(50);
                s_stop = true;
                first.Join();
                second.Join();
                Assert.True(seenA > 0 && seenB > 0, $"both spinning threads ran (a={seenA}, b={seenB})");
                Assert.True(a > seenA && b > seenB, "both kept running after the boot thread looked");
                Assert.True(Scheduler.Switches > preemptionsBefore + 10, $"switches {Scheduler.Switches - preemptionsBefore} in 150 ms of two busy threads");
            });

            tests.Add("thread.sleep-halts-instead-of-spinning", () =>
            {
                ulong idleBefore = Scheduler.IdleNanoseconds;
                var watch = Stopwatch.StartNew();
                Thread.Sleep(60);
                long elapsed = watch.ElapsedMilliseconds;
                ulong idle = (Scheduler.IdleNanoseconds - idleBefore) / 1_000_000;
                Assert.True(elapsed >= 59 && elapsed < 200, $"Thread.Sleep(60) took {elapsed} ms");
                Assert.True(idle >= 40, $"the CPU was idle {idle} ms of the 60 ms sleep");
            });

            tests.Add("thread.yield-runs-another-thread", () =>
            {
                int ran = 0;
                var thread = new Thread(() => ran = 1);
                thread.Start();
                // Start returns once the thread reported in; it may still be runnable. Yield until it has ended.
                for (int i = 0; i < 100 && thread.IsAlive; i++)
                {
                    Thread.Yield();
                }

                Assert.Equal(1, ran, "the other thread ran during Yield");
                Assert.True(thread.Join(1000), "it ended");
            });

            tests.Add("thread.exited-threads-give-back-their-stacks", () =>
            {
                RunAndJoin(20);
                GC.Collect();
                long before = GC.GetGCMemoryInfo().TotalCommittedBytes;
                int threadsBefore = Scheduler.ThreadCount;
                RunAndJoin(200);
                GC.Collect();
                long after = GC.GetGCMemoryInfo().TotalCommittedBytes;
                Assert.True(after - before < 4L * 1024 * 1024, $"committed memory grew by {(after - before) / 1024} KiB over 200 threads of 512 KiB stacks");
                Assert.True(Scheduler.ThreadCount <= threadsBefore + 1, $"threads alive: {Scheduler.ThreadCount}, before {threadsBefore}");
            });
        }

        private static void RunAndJoin(int count)
        {
            for (int i = 0; i < count; i++)
            {
                var thread = new Thread(() => { });
                thread.Start();
                thread.Join();
            }

            Thread.Sleep(5);    // the last exited thread's stack is freed by the next switch
        }
    }
}
