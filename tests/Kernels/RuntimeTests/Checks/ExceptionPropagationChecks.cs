using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// How exceptions travel: unwinding across many frames (every finally runs), across
    /// interface, virtual, delegate and iterator calls, out of using blocks, through
    /// ExceptionDispatchInfo and tasks, and many times in a row.
    /// </summary>
    internal static class ExceptionPropagationChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("exception.finally-runs-across-frames", FinallyRunsAcrossFrames);
            tests.Add("exception.deep-recursion-unwinds-every-frame", DeepRecursionUnwindsEveryFrame);
            tests.Add("exception.crosses-interface-and-virtual-calls", CrossesInterfaceAndVirtualCalls);
            tests.Add("exception.crosses-delegates-and-lambdas", CrossesDelegatesAndLambdas);
            tests.Add("exception.crosses-iterators-and-linq", CrossesIteratorsAndLinq);
            tests.Add("exception.using-disposes-on-throw", UsingDisposesOnThrow);
            tests.Add("exception.thousand-throws", ThousandThrows);
            tests.Add("exception.exception-dispatch-info-keeps-both-traces", ExceptionDispatchInfoKeepsBothTraces);
            tests.Add("exception.async-method-exception-through-task", AsyncMethodExceptionThroughTask);
        }

        private interface IThrower
        {
            void Throw(string message);
        }

        private class VirtualThrower : IThrower
        {
            public virtual void Throw(string message) => throw new InvalidOperationException("base " + message);
        }

        private sealed class DerivedThrower : VirtualThrower
        {
            public override void Throw(string message) => throw new NotSupportedException("derived " + message);
        }

        private sealed class Resource : IDisposable
        {
            private readonly EventLog _log;

            public Resource(EventLog log) => _log = log;

            public void Dispose() => _log.Add("dispose");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Level(int depth, EventLog log)
        {
            try
            {
                if (depth == 0)
                {
                    Throwers.Throw(new InvalidOperationException("bottom"));
                }

                Level(depth - 1, log);
            }
            finally
            {
                log.Add("f" + depth);
            }
        }

        private static void FinallyRunsAcrossFrames()
        {
            var log = new EventLog();
            try
            {
                Level(3, log);
            }
            catch (InvalidOperationException e)
            {
                log.Add("catch:" + e.Message);
            }

            Assert.Equal("f0,f1,f2,f3,catch:bottom", log.ToString(), "finallys run innermost first, then the catch");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Recurse(int depth, ref int finallies)
        {
            try
            {
                return depth == 0 ? Throwers.ThrowIfPositive(Opaque.Value(1)) : Recurse(depth - 1, ref finallies) + 1;
            }
            finally
            {
                finallies++;
            }
        }

        private static void DeepRecursionUnwindsEveryFrame()
        {
            int finallies = 0;
            Assert.Throws<ArgumentOutOfRangeException>(() => Recurse(200, ref finallies), "exception from depth 200");
            Assert.Equal(201, finallies, "every frame's finally ran");
        }

        private static void CrossesInterfaceAndVirtualCalls()
        {
            IThrower viaInterface = Opaque.Value<IThrower>(new DerivedThrower());
            NotSupportedException fromInterface = Assert.Throws<NotSupportedException>(() => viaInterface.Throw("interface"), "through an interface call");
            Assert.Equal("derived interface", fromInterface.Message, "message through the interface");
            VirtualThrower viaVirtual = Opaque.Value(new VirtualThrower());
            InvalidOperationException fromVirtual = Assert.Throws<InvalidOperationException>(() => viaVirtual.Throw("virtual"), "through a virtual call");
            Assert.Equal("base virtual", fromVirtual.Message, "message through the virtual call");
        }

        private static void CrossesDelegatesAndLambdas()
        {
            var log = new EventLog();
            Action first = () => log.Add("first");
            Action failing = () => throw new TimeoutException("from a delegate");
            Action third = () => log.Add("third");
            Action all = first + failing + third;
            TimeoutException e = Assert.Throws<TimeoutException>(all, "through a multicast delegate");
            Assert.Equal("from a delegate", e.Message, "message");
            Assert.Equal("first", log.ToString(), "the delegates after the failing one did not run");
            Func<int, int> nested = x => new Func<int, int>(y => Throwers.ThrowIfPositive(y))(x);
            Assert.Throws<ArgumentOutOfRangeException>(() => nested(Opaque.Value(5)), "through nested lambdas");
        }

        private static IEnumerable<int> FailingIterator(EventLog log)
        {
            try
            {
                yield return 1;
                yield return Throwers.ThrowIfPositive(Opaque.Value(2));
            }
            finally
            {
                log.Add("iterator-finally");
            }
        }

        private static void CrossesIteratorsAndLinq()
        {
            var log = new EventLog();
            var seen = new List<int>();
            Assert.Throws<ArgumentOutOfRangeException>(() =>
            {
                foreach (int value in FailingIterator(log))
                {
                    seen.Add(value);
                }
            }, "from an iterator's MoveNext");
            Assert.SequenceEqual(new[] { 1 }, seen, "values before the failure");
            Assert.Equal("iterator-finally", log.ToString(), "the iterator's finally ran");
            DivideByZeroException fromLinq = Assert.Throws<DivideByZeroException>(
                () => new[] { 1, 2, 0 }.Select(x => 10 / x).ToList(), "from a LINQ projection");
            Assert.NotNull(fromLinq.Message, "message");
        }

        private static void UsingDisposesOnThrow()
        {
            var log = new EventLog();
            try
            {
                using (new Resource(log))
                {
                    log.Add("body");
                    Throwers.Throw(new InvalidOperationException());
                }
            }
            catch (InvalidOperationException)
            {
                log.Add("caught");
            }

            Assert.Equal("body,dispose,caught", log.ToString(), "events");
        }

        private static void ThousandThrows()
        {
            int caught = 0;
            for (int i = 0; i < 1000; i++)
            {
                try
                {
                    Throwers.ThrowIfPositive(Opaque.Value(i + 1));
                }
                catch (ArgumentOutOfRangeException e) when ((int)e.ActualValue! == i + 1)
                {
                    caught++;
                }
            }

            Assert.Equal(1000, caught, "every throw was caught by its own filter");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static System.Runtime.ExceptionServices.ExceptionDispatchInfo CaptureFromThrower()
        {
            try
            {
                Throwers.ThrowIfPositive(Opaque.Value(1));
                return null!;
            }
            catch (ArgumentOutOfRangeException e)
            {
                return System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RethrowCaptured(System.Runtime.ExceptionServices.ExceptionDispatchInfo captured) => captured.Throw();

        private static void ExceptionDispatchInfoKeepsBothTraces()
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo captured = CaptureFromThrower();
            ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => RethrowCaptured(captured), "ExceptionDispatchInfo.Throw");
            string trace = e.StackTrace ?? "";
            Assert.Contains("ThrowIfPositive", trace, "the original throw site");
            Assert.Contains("RethrowCaptured", trace, "the rethrow site");
            Assert.True(trace.IndexOf("ThrowIfPositive", StringComparison.Ordinal) < trace.IndexOf("RethrowCaptured", StringComparison.Ordinal),
                "original frames come first (trace: " + trace + ")");
        }

        private static async System.Threading.Tasks.Task<int> FailAfterAwaitAsync(int value)
        {
            await System.Threading.Tasks.Task.CompletedTask;
            int checkedValue = Throwers.ThrowIfPositive(value);
            return checkedValue * 2;
        }

        private static async System.Threading.Tasks.Task<int> AddAsync(int a, int b)
        {
            int zero = await System.Threading.Tasks.Task.FromResult(0);
            return a + b + zero;
        }

        private static void AsyncMethodExceptionThroughTask()
        {
            System.Threading.Tasks.Task<int> ok = FailAfterAwaitAsync(Opaque.Value(-4));
            Assert.True(ok.IsCompletedSuccessfully, "a synchronously completing async method");
            Assert.Equal(-8, ok.Result, "its result");
            System.Threading.Tasks.Task<int> failed = FailAfterAwaitAsync(Opaque.Value(4));
            Assert.True(failed.IsFaulted, "the exception is stored in the task");
            Assert.IsType<ArgumentOutOfRangeException>(failed.Exception!.InnerException, "AggregateException.InnerException");
            ArgumentOutOfRangeException rethrown = Assert.Throws<ArgumentOutOfRangeException>(() => failed.GetAwaiter().GetResult(), "GetResult rethrows the original");
            Assert.Contains("ThrowIfPositive", rethrown.StackTrace, "the original frames survive the task");
            Assert.Equal(5, AddAsync(2, 3).GetAwaiter().GetResult(), "another async method");
        }
    }
}
