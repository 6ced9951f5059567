using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Cosmos.TestKit;

namespace ThreadTests
{
    /// <summary>
    /// Collections while other threads are stopped: blocked in a wait, or preempted in the middle of a
    /// method with their references only in registers and stack slots. Every thread checks its own
    /// linked structures by checksum afterwards.
    /// </summary>
    internal static class CollectorChecks
    {
        private static volatile bool s_stop;
        private static object? s_sink;

        public static void Add(TestRunner tests)
        {
            tests.Add("gc.preempted-threads-keep-their-objects", () =>
            {
                s_stop = false;
                int failures = 0;
                long rounds = 0;
                var threads = LockChecks.StartThreads(3, index =>
                {
                    while (!s_stop)
                    {
                        // Built, then walked in a loop without calls: the references live in registers
                        // while the timer preempts and other threads collect.
                        Node list = Build(500 + index, out long expected);
                        long sum = 0;
                        for (int pass = 0; pass < 200; pass++)
                        {
                            sum = 0;
                            for (Node? at = list; at != null; at = at.Next)
                            {
                                sum += at.Value;
                            }
                        }

                        if (sum != expected)
                        {
                            Interlocked.Increment(ref failures);
                        }

                        Interlocked.Increment(ref rounds);
                    }
                });
                int collectionsBefore = GC.CollectionCount(0);
                for (int i = 0; i < 40; i++)
                {
                    GC.Collect();
                    Thread.Sleep(3);
                }

                s_stop = true;
                LockChecks.JoinAll(threads);
                Assert.Equal(0, failures, "lists whose checksum changed across collections");
                Assert.True(rounds > 3, $"rounds completed by the workers: {rounds}");
                Assert.True(GC.CollectionCount(0) - collectionsBefore >= 40, "collections made while they ran");
            });

            tests.Add("gc.allocating-threads-collect-each-other", () =>
            {
                // Each thread allocates garbage (which triggers collections from any of them) while keeping
                // a structure alive only through its own stack.
                int failures = 0;
                int collectionsBefore = GC.CollectionCount(0);
                LockChecks.RunThreads(4, index =>
                {
                    Node keep = Build(2000, out long expected);
                    for (int round = 0; round < 40; round++)
                    {
                        Garbage(1024 * 1024);
                        if (Sum(keep) != expected)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                });
                Assert.Equal(0, failures, "checksums that changed");
                Assert.True(GC.CollectionCount(0) > collectionsBefore, "allocation triggered collections");
            });

            tests.Add("gc.allocation-restarts-hand-out-each-slot-once", () =>
            {
                // Objects, arrays and strings of one size class (32 bytes) from three threads at once: the timer
                // lands inside the allocation sequences and restarts them. Every object kept must be its own,
                // with what its thread put in it.
                const int Kept = 3000;
                ulong restartsBefore = Cosmos.Core.Memory.GcHeap.AllocationRestarts;
                var kept = new object[3][];
                int failures = 0;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                LockChecks.RunThreads(3, index =>
                {
                    var mine = new object[Kept];
                    kept[index] = mine;
                    long made = 0;
                    while (made < 200_000 || (Cosmos.Core.Memory.GcHeap.AllocationRestarts - restartsBefore < 30 && clock.ElapsedMilliseconds < 20_000))
                    {
                        long tag = (made * 4) + index;
                        object value = (made % 3) switch
                        {
                            0 => new Node(tag, null),
                            1 => new long[] { tag },
                            _ => new string((char)('a' + index), 4),
                        };
                        if (!Holds(value, tag, index))
                        {
                            Interlocked.Increment(ref failures);
                        }

                        mine[made % Kept] = value;
                        made++;
                    }
                });
                var seen = new System.Collections.Generic.HashSet<object>(System.Collections.Generic.ReferenceEqualityComparer.Instance);
                for (int thread = 0; thread < 3; thread++)
                {
                    foreach (object value in kept[thread])
                    {
                        Assert.True(seen.Add(value), "an object kept by two allocations");
                        if (value is Node node ? (node.Value & 3) != thread || node.Next != null
                            : value is long[] array ? array.Length != 1 || (array[0] & 3) != thread
                            : ((string)value).Length != 4 || ((string)value)[3] != (char)('a' + thread))
                        {
                            failures++;
                        }
                    }
                }

                Assert.Equal(0, failures, "objects whose contents another allocation changed");
                Assert.Equal(3 * Kept, seen.Count, "distinct objects kept");
                ulong restarts = Cosmos.Core.Memory.GcHeap.AllocationRestarts - restartsBefore;
                Assert.True(restarts > 0, $"allocation sequences the timer interrupted and restarted: {restarts}");
            });

            tests.Add("gc.blocked-threads-keep-their-objects", () =>
            {
                using var release = new ManualResetEventSlim(false);
                int failures = 0;
                var threads = LockChecks.StartThreads(4, index =>
                {
                    Node keep = Build(1000 + index, out long expected);
                    var weak = new WeakReference(keep.Next);
                    release.Wait();
                    if (Sum(keep) != expected || !weak.IsAlive)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
                Thread.Sleep(20);
                for (int i = 0; i < 5; i++)
                {
                    Garbage(1024 * 1024);
                    GC.Collect();
                }

                release.Set();
                LockChecks.JoinAll(threads);
                Assert.Equal(0, failures, "blocked threads whose structures changed");
            });

            tests.Add("gc.finalizers-run-on-the-finalizer-thread", () =>
            {
                Finalizable.Reset();
                MakeFinalizables(10, suppressEvery: 0);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Assert.Equal(10, Finalizable.Finalized, "finalizers run for 10 unreachable objects");
                Assert.NotEqual(Environment.CurrentManagedThreadId, Finalizable.LastThread, "the thread they ran on");
            });

            tests.Add("gc.suppressed-finalizers-do-not-run", () =>
            {
                Finalizable.Reset();
                MakeFinalizables(10, suppressEvery: 2);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Assert.Equal(5, Finalizable.Finalized, "finalizers run when every second one was suppressed");
            });

            tests.Add("gc.finalization-tables-shrink-after-a-burst", () =>
            {
                // 20,000 finalizable objects registered at once grow the tables to 32,768 entries (512 KiB); once their
                // finalizers have run, the finalizer thread shrinks them back. (The capacity is what is checked: native bytes
                // also move with whatever the kernel's other threads allocate meanwhile.)
                Finalizable.Reset();
                int grownTo = MakeFinalizablesAtOnce(20_000);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                int capacity = Cosmos.Core.Runtime.Gc.Finalization.TableCapacity;
                Assert.True(grownTo >= 20_000, $"the tables held {grownTo} entries during the burst");
                Assert.Equal(20_000, Finalizable.Finalized, "finalizers run");
                Assert.True(capacity <= 1024, $"the tables hold {capacity} entries after the finalizers ran; at most 1,024 expected");
            });

            tests.Add("gc.dead-threads-objects-are-reclaimed", () =>
            {
                WeakReference weak = LeaveObjectOnAThread();
                GC.Collect();
                GC.Collect();
                Assert.False(weak.IsAlive, "an object only an exited thread referenced");
            });
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference LeaveObjectOnAThread()
        {
            WeakReference? weak = null;
            var thread = new Thread(() =>
            {
                var data = new byte[10_000];
                weak = new WeakReference(data);
                GC.KeepAlive(data);
            });
            thread.Start();
            thread.Join();
            Thread.Sleep(5);
            return weak!;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int MakeFinalizablesAtOnce(int count)
        {
            var all = new Finalizable[count];
            for (int i = 0; i < count; i++)
            {
                all[i] = new Finalizable();
            }

            return Cosmos.Core.Runtime.Gc.Finalization.TableCapacity;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MakeFinalizables(int count, int suppressEvery)
        {
            for (int i = 0; i < count; i++)
            {
                var value = new Finalizable();
                if (suppressEvery > 0 && i % suppressEvery == 0)
                {
                    GC.SuppressFinalize(value);
                }
            }
        }

        private static bool Holds(object value, long tag, int thread) => value switch
        {
            Node node => node.Value == tag && node.Next == null,
            long[] array => array.Length == 1 && array[0] == tag,
            string text => text.Length == 4 && text[0] == (char)('a' + thread) && text[3] == (char)('a' + thread),
            _ => false,
        };

        private static Node Build(int count, out long expected)
        {
            Node? head = null;
            expected = 0;
            for (int i = 1; i <= count; i++)
            {
                head = new Node(i * 7, head);
                expected += i * 7;
            }

            return head!;
        }

        private static long Sum(Node list)
        {
            long sum = 0;
            for (Node? at = list; at != null; at = at.Next)
            {
                sum += at.Value;
            }

            return sum;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Garbage(int bytes)
        {
            // Stored, so that the JIT's escape analysis cannot put them on the stack.
            for (int made = 0; made < bytes; made += 64)
            {
                s_sink = new byte[40];
            }
        }

        private sealed class Finalizable
        {
            public static int Finalized;
            public static int LastThread;

            ~Finalizable()
            {
                Interlocked.Increment(ref Finalized);
                LastThread = Environment.CurrentManagedThreadId;
            }

            public static void Reset()
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Finalized = 0;
                LastThread = 0;
            }
        }

        private sealed class Node
        {
            public Node(long value, Node? next)
            {
                Value = value;
                Next = next;
            }

            public long Value { get; }

            public Node? Next { get; }
        }
    }
}
