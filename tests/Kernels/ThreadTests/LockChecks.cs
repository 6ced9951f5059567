using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Cosmos.TestKit;

namespace ThreadTests
{
    /// <summary>Mutual exclusion and signalling between threads, under contention and preemption.</summary>
    internal static class LockChecks
    {
        public static void Add(TestRunner tests)
        {
            tests.Add("lock.mutual-exclusion-under-preemption", () =>
            {
                // The read-modify-write is spread over a call so that the timer often preempts inside the lock.
                var gate = new object();
                long counter = 0;
                RunThreads(4, _ =>
                {
                    for (int i = 0; i < 20_000; i++)
                    {
                        lock (gate)
                        {
                            long seen = counter;
                            Spin(i & 7);
                            counter = seen + 1;
                        }
                    }
                });
                Assert.Equal(80_000L, counter, "increments under lock by 4 threads");
            });

            tests.Add("lock.system-threading-lock", () =>
            {
                var gate = new Lock();
                int counter = 0;
                RunThreads(3, _ =>
                {
                    for (int i = 0; i < 10_000; i++)
                    {
                        using (gate.EnterScope())
                        {
                            int seen = counter;
                            Spin(i & 3);
                            counter = seen + 1;
                        }
                    }
                });
                Assert.Equal(30_000, counter, "increments under System.Threading.Lock");
            });

            tests.Add("monitor.wait-and-pulse-hand-over-a-value", () =>
            {
                var gate = new object();
                int value = 0;
                bool ready = false;
                var consumer = new Thread(() =>
                {
                    lock (gate)
                    {
                        while (!ready)
                        {
                            Monitor.Wait(gate);
                        }

                        value *= 2;
                    }
                });
                consumer.Start();
                Thread.Sleep(10);
                lock (gate)
                {
                    value = 21;
                    ready = true;
                    Monitor.Pulse(gate);
                }

                consumer.Join();
                Assert.Equal(42, value, "value after the consumer woke");
            });

            tests.Add("monitor.wait-times-out", () =>
            {
                var gate = new object();
                var watch = Stopwatch.StartNew();
                bool signalled;
                lock (gate)
                {
                    signalled = Monitor.Wait(gate, 30);
                }

                Assert.False(signalled, "Monitor.Wait(30) with nobody pulsing");
                Assert.True(watch.ElapsedMilliseconds >= 29, $"it returned after {watch.ElapsedMilliseconds} ms");
            });

            tests.Add("monitor.pulse-all-wakes-every-waiter", () =>
            {
                var gate = new object();
                bool go = false;
                int woken = 0;
                int waiting = 0;
                var threads = StartThreads(5, _ =>
                {
                    lock (gate)
                    {
                        waiting++;
                        while (!go)
                        {
                            Monitor.Wait(gate);
                        }

                        woken++;
                    }
                });
                while (Volatile.Read(ref waiting) < 5)
                {
                    Thread.Sleep(1);
                }

                lock (gate)
                {
                    go = true;
                    Monitor.PulseAll(gate);
                }

                JoinAll(threads);
                Assert.Equal(5, woken, "waiters woken by PulseAll");
            });

            tests.Add("semaphore-slim.limits-concurrency", () =>
            {
                using var semaphore = new SemaphoreSlim(2);
                int inside = 0, most = 0;
                RunThreads(6, _ =>
                {
                    for (int i = 0; i < 20; i++)
                    {
                        semaphore.Wait();
                        int now = Interlocked.Increment(ref inside);
                        InterlockedMax(ref most, now);
                        Thread.Sleep(1);
                        Interlocked.Decrement(ref inside);
                        semaphore.Release();
                    }
                });
                Assert.Equal(2, most, "most threads inside a SemaphoreSlim(2)");
                Assert.Equal(2, semaphore.CurrentCount, "count after all released");
            });

            tests.Add("semaphore-slim.wait-times-out-then-succeeds", () =>
            {
                using var semaphore = new SemaphoreSlim(0);
                Assert.False(semaphore.Wait(20), "Wait(20) on an empty semaphore");
                var releaser = new Thread(() =>
                {
                    Thread.Sleep(10);
                    semaphore.Release();
                });
                releaser.Start();
                Assert.True(semaphore.Wait(5000), "Wait after another thread released");
                releaser.Join();
            });

            tests.Add("events.auto-reset-releases-one-waiter-per-set", () =>
            {
                using var signal = new AutoResetEvent(false);
                int passed = 0;
                var threads = StartThreads(3, _ =>
                {
                    signal.WaitOne();
                    Interlocked.Increment(ref passed);
                });
                Thread.Sleep(20);
                signal.Set();
                Thread.Sleep(20);
                int afterOne = Volatile.Read(ref passed);
                signal.Set();
                signal.Set();
                JoinAll(threads);
                Assert.Equal(1, afterOne, "threads through after one Set");
                Assert.Equal(3, passed, "threads through after three");
            });

            tests.Add("events.manual-reset-releases-all", () =>
            {
                using var gate = new ManualResetEvent(false);
                int passed = 0;
                var threads = StartThreads(4, _ =>
                {
                    gate.WaitOne();
                    Interlocked.Increment(ref passed);
                });
                Thread.Sleep(10);
                Assert.Equal(0, Volatile.Read(ref passed), "threads through a closed gate");
                gate.Set();
                JoinAll(threads);
                Assert.Equal(4, passed, "threads through the opened gate");
                Assert.True(gate.WaitOne(0), "the gate stays open");
            });

            tests.Add("events.countdown-and-barrier", () =>
            {
                using var countdown = new CountdownEvent(3);
                using var barrier = new Barrier(3);
                int phaseSum = 0;
                var threads = StartThreads(3, _ =>
                {
                    for (int phase = 0; phase < 4; phase++)
                    {
                        Interlocked.Add(ref phaseSum, phase);
                        barrier.SignalAndWait();
                    }

                    countdown.Signal();
                });
                Assert.True(countdown.Wait(10_000), "CountdownEvent reached zero");
                JoinAll(threads);
                Assert.Equal(4L, barrier.CurrentPhaseNumber, "Barrier phases completed");
                Assert.Equal(3 * (0 + 1 + 2 + 3), phaseSum, "work done in the phases");
            });

            tests.Add("lock.reader-writer-lock-slim", () =>
            {
                using var rw = new ReaderWriterLockSlim();
                var list = new List<int>();
                int readersInsideWithWriter = 0;
                bool writing = false;
                var threads = StartThreads(4, index =>
                {
                    for (int i = 0; i < 200; i++)
                    {
                        if (index == 0)
                        {
                            rw.EnterWriteLock();
                            writing = true;
                            list.Add(i);
                            writing = false;
                            rw.ExitWriteLock();
                        }
                        else
                        {
                            rw.EnterReadLock();
                            if (writing)
                            {
                                Interlocked.Increment(ref readersInsideWithWriter);
                            }

                            _ = list.Count;
                            rw.ExitReadLock();
                        }
                    }
                });
                JoinAll(threads);
                Assert.Equal(200, list.Count, "items the writer added");
                Assert.Equal(0, readersInsideWithWriter, "readers that saw a writer inside");
            });

            tests.Add("interlocked-and-volatile-publish-data", () =>
            {
                int[] data = new int[64];
                int published = 0;
                long sum = 0;
                var reader = new Thread(() =>
                {
                    while (Volatile.Read(ref published) == 0)
                    {
                        Thread.Yield();
                    }

                    foreach (int value in data)
                    {
                        sum += value;
                    }
                });
                reader.Start();
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = i;
                }

                Assert.Equal(0, Interlocked.CompareExchange(ref published, 1, 0), "CompareExchange saw the old value");
                reader.Join();
                Assert.Equal(63L * 64 / 2, sum, "sum the reader saw after the publication");
                Assert.Equal(1, Interlocked.Exchange(ref published, 5), "Exchange returns the old value");
            });

            tests.Add("producer-consumer.100000-items-none-lost", () =>
            {
                // Two producers, two consumers, a bounded queue guarded by Monitor: every item arrives once.
                const int perProducer = 50_000;
                var queue = new Queue<int>();
                var gate = new object();
                const int capacity = 64;
                bool producersDone = false;
                long consumedSum = 0;
                int consumedCount = 0;
                var seen = new byte[2 * perProducer];
                int duplicates = 0;
                var producers = StartThreads(2, index =>
                {
                    for (int i = 0; i < perProducer; i++)
                    {
                        int item = (index * perProducer) + i;
                        lock (gate)
                        {
                            while (queue.Count >= capacity)
                            {
                                Monitor.Wait(gate);
                            }

                            queue.Enqueue(item);
                            Monitor.PulseAll(gate);
                        }
                    }
                });
                var consumers = StartThreads(2, _ =>
                {
                    while (true)
                    {
                        int item;
                        lock (gate)
                        {
                            while (queue.Count == 0 && !producersDone)
                            {
                                Monitor.Wait(gate);
                            }

                            if (queue.Count == 0)
                            {
                                return;
                            }

                            item = queue.Dequeue();
                            Monitor.PulseAll(gate);
                        }

                        if (seen[item]++ != 0)
                        {
                            Interlocked.Increment(ref duplicates);
                        }

                        Interlocked.Add(ref consumedSum, item);
                        Interlocked.Increment(ref consumedCount);
                    }
                });
                JoinAll(producers);
                lock (gate)
                {
                    producersDone = true;
                    Monitor.PulseAll(gate);
                }

                JoinAll(consumers);
                long expected = (long)(2 * perProducer) * ((2 * perProducer) - 1) / 2;
                Assert.Equal(2 * perProducer, consumedCount, "items consumed");
                Assert.Equal(expected, consumedSum, "sum of the items consumed");
                Assert.Equal(0, duplicates, "items consumed twice");
            });

            tests.Add("producer-consumer.blocking-collection", () =>
            {
                using var collection = new BlockingCollection<int>(boundedCapacity: 16);
                long sum = 0;
                var consumer = new Thread(() =>
                {
                    foreach (int item in collection.GetConsumingEnumerable())
                    {
                        sum += item;
                    }
                });
                consumer.Start();
                for (int i = 1; i <= 5000; i++)
                {
                    collection.Add(i);
                }

                collection.CompleteAdding();
                consumer.Join();
                Assert.Equal(5000L * 5001 / 2, sum, "sum through a BlockingCollection (SemaphoreSlim inside)");
            });
        }

        internal static void RunThreads(int count, Action<int> body) => JoinAll(StartThreads(count, body));

        internal static Thread[] StartThreads(int count, Action<int> body)
        {
            var threads = new Thread[count];
            for (int i = 0; i < count; i++)
            {
                int index = i;
                threads[i] = new Thread(() => body(index));
                threads[i].Start();
            }

            return threads;
        }

        internal static void JoinAll(Thread[] threads)
        {
            foreach (Thread thread in threads)
            {
                if (!thread.Join(60_000))
                {
                    throw new TimeoutException("a thread did not end within 60 s: " + thread.ManagedThreadId);
                }
            }
        }

        private static void Spin(int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                Thread.SpinWait(1);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current = Volatile.Read(ref target);
            while (value > current)
            {
                int seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
