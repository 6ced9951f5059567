using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Cosmos.TestKit;

namespace ThreadTests
{
    /// <summary>The thread pool, tasks and await, timers and cancellation: the class library's own machinery on our threads.</summary>
    internal static class TaskChecks
    {
        public static void Add(TestRunner tests)
        {
            tests.Add("task.run-returns-a-result-from-the-pool", () =>
            {
                int boot = Environment.CurrentManagedThreadId;
                Task<int> task = Task.Run(() => Environment.CurrentManagedThreadId);
                int worker = task.Result;
                Assert.NotEqual(boot, worker, "the task ran on a pool thread");
                Assert.True(task.IsCompletedSuccessfully, "the task completed");
            });

            tests.Add("task.await-continues-after-delay", () =>
            {
                var watch = Stopwatch.StartNew();
                int result = DelayThenAdd(20, 40, 2).GetAwaiter().GetResult();
                Assert.Equal(42, result, "value returned across two awaits");
                Assert.True(watch.ElapsedMilliseconds >= 39, $"two awaited delays of 20 ms took {watch.ElapsedMilliseconds} ms");
            });

            tests.Add("task.when-all-of-many-tasks", () =>
            {
                var tasks = new Task<long>[16];
                for (int i = 0; i < tasks.Length; i++)
                {
                    int n = i;
                    tasks[i] = Task.Run(() =>
                    {
                        long sum = 0;
                        for (int k = 0; k <= 1000 * n; k++)
                        {
                            sum += k;
                        }

                        return sum;
                    });
                }

                long[] results = Task.WhenAll(tasks).GetAwaiter().GetResult();
                for (int i = 0; i < results.Length; i++)
                {
                    long m = 1000L * i;
                    Assert.Equal(m * (m + 1) / 2, results[i], "task " + i);
                }
            });

            tests.Add("task.exception-flows-to-the-awaiter", () =>
            {
                Task failing = Task.Run(() => throw new FormatException("from the pool"));
                var caught = Assert.Throws<AggregateException>(() => failing.Wait(), "Wait on a faulted task");
                Assert.IsType<FormatException>(caught.InnerException, "inner exception");
                Assert.Equal("from the pool", caught.InnerException!.Message, "its message");
            });

            tests.Add("cancellation.token-cancels-a-delay", () =>
            {
                using var source = new CancellationTokenSource();
                source.CancelAfter(30);
                var watch = Stopwatch.StartNew();
                Task delay = Task.Delay(Timeout.Infinite, source.Token);
                var caught = Assert.Throws<AggregateException>(() => delay.Wait(), "Wait on a cancelled delay");
                Assert.IsType<TaskCanceledException>(caught.InnerException, "inner exception");
                Assert.True(delay.IsCanceled, "the task is cancelled");
                Assert.True(watch.ElapsedMilliseconds >= 25, $"cancelled after {watch.ElapsedMilliseconds} ms (CancelAfter 30)");
            });

            tests.Add("cancellation.cooperative-loop-stops", () =>
            {
                using var source = new CancellationTokenSource();
                CancellationToken token = source.Token;
                long iterations = 0;
                Task worker = Task.Run(() =>
                {
                    while (!token.IsCancellationRequested)
                    {
                        iterations++;
                    }

                    token.ThrowIfCancellationRequested();
                }, CancellationToken.None);
                Thread.Sleep(30);
                source.Cancel();
                Assert.Throws<AggregateException>(() => worker.Wait(), "the worker ended by its token");
                Assert.True(iterations > 0, "the worker ran before it was cancelled");
                bool registered = false;
                using (token.Register(() => registered = true))
                {
                }

                Assert.True(registered, "a callback registered on a cancelled token runs at once");
            });

            tests.Add("timer.fires-periodically", () =>
            {
                int ticks = 0;
                using var done = new ManualResetEventSlim(false);
                using var timer = new Timer(_ =>
                {
                    if (Interlocked.Increment(ref ticks) == 5)
                    {
                        done.Set();
                    }
                }, null, 10, 10);
                Assert.True(done.Wait(5000), $"5 timer callbacks within 5 s (saw {ticks})");
            });

            tests.Add("parallel.for-sums-a-range", () =>
            {
                long total = 0;
                Parallel.For(0, 1000, i => Interlocked.Add(ref total, i));
                Assert.Equal(999L * 1000 / 2, total, "Parallel.For sum");
            });

            tests.Add("task.async-chain-of-yields", () =>
            {
                int result = YieldMany(200).GetAwaiter().GetResult();
                Assert.Equal(200, result, "awaits of Task.Yield completed");
            });
        }

        private static async Task<int> DelayThenAdd(int milliseconds, int value, int add)
        {
            await Task.Delay(milliseconds).ConfigureAwait(false);
            int half = value / 2;
            await Task.Delay(milliseconds).ConfigureAwait(false);
            return half + (value - half) + add;
        }

        private static async Task<int> YieldMany(int count)
        {
            int done = 0;
            for (int i = 0; i < count; i++)
            {
                await Task.Yield();
                done++;
            }

            return done;
        }
    }
}
