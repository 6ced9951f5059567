using System;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// How handlers run: catch selection, finally on every path, filters (run in the first pass,
    /// before inner finallys, and swallowed when they throw), throws inside catch and finally,
    /// and a second dispatch nested inside a finally or a filter of the first.
    /// </summary>
    internal static class ExceptionFlowChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("exception.catch-selects-first-matching-clause", CatchSelectsFirstMatchingClause);
            tests.Add("exception.finally-runs-on-every-path", FinallyRunsOnEveryPath);
            tests.Add("exception.nested-finally-order", NestedFinallyOrder);
            tests.Add("exception.filter-selects-handler", FilterSelectsHandler);
            tests.Add("exception.filter-runs-before-inner-finally", FilterRunsBeforeInnerFinally);
            tests.Add("exception.throwing-filter-counts-as-false", ThrowingFilterCountsAsFalse);
            tests.Add("exception.throw-inside-catch", ThrowInsideCatch);
            tests.Add("exception.throw-inside-finally-replaces", ThrowInsideFinallyReplaces);
            tests.Add("exception.filter-sees-original-then-replacement", FilterSeesOriginalThenReplacement);
            tests.Add("exception.try-catch-inside-catch-and-finally", TryCatchInsideCatchAndFinally);
            tests.Add("exception.handled-inside-finally-during-unwinding", HandledInsideFinallyDuringUnwinding);
            tests.Add("exception.filter-calls-code-that-throws-and-catches", FilterCallsCodeThatThrowsAndCatches);
            tests.Add("exception.catch-generic-exception-type", CatchGenericExceptionType);
            tests.Add("exception.throw-null-throws-null-reference", ThrowNullThrowsNullReference);
        }

        private sealed class CustomException : Exception
        {
            public CustomException(string message, int code)
                : base(message) => Code = code;

            public int Code { get; }
        }

        private static void CatchSelectsFirstMatchingClause()
        {
            string caught;
            try
            {
                Throwers.Throw(new ArgumentNullException("name"));
                caught = "nothing";
            }
            catch (InvalidOperationException)
            {
                caught = "InvalidOperationException";
            }
            catch (ArgumentException e) when (e is ArgumentOutOfRangeException)
            {
                caught = "ArgumentOutOfRangeException filter";
            }
            catch (ArgumentException e)
            {
                caught = "ArgumentException:" + e.GetType().Name;
            }
            catch (Exception)
            {
                caught = "Exception";
            }

            Assert.Equal("ArgumentException:ArgumentNullException", caught, "handler chosen");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ReturnFromTry(EventLog log)
        {
            try
            {
                log.Add("try");
                return Opaque.Value(1);
            }
            finally
            {
                log.Add("finally");
            }
        }

        private static void FinallyRunsOnEveryPath()
        {
            var log = new EventLog();
            try
            {
                log.Add("normal");
            }
            finally
            {
                log.Add("finally1");
            }

            Assert.Equal(1, ReturnFromTry(log), "return value through finally");
            for (int i = 0; i < 3; i++)
            {
                try
                {
                    if (i == 1)
                    {
                        continue;
                    }

                    if (i == 2)
                    {
                        break;
                    }
                }
                finally
                {
                    log.Add("loop" + i);
                }
            }

            try
            {
                try
                {
                    Throwers.Throw(new InvalidOperationException());
                }
                finally
                {
                    log.Add("finally-on-throw");
                }
            }
            catch (InvalidOperationException)
            {
                log.Add("caught");
            }

            Assert.Equal("normal,finally1,try,finally,loop0,loop1,loop2,finally-on-throw,caught", log.ToString(), "events");
        }

        private static void NestedFinallyOrder()
        {
            var log = new EventLog();
            try
            {
                try
                {
                    try
                    {
                        log.Add("inner");
                        Throwers.Throw(new FormatException("nested"));
                    }
                    finally
                    {
                        log.Add("finally-inner");
                    }
                }
                finally
                {
                    log.Add("finally-middle");
                }
            }
            catch (FormatException e)
            {
                log.Add("catch:" + e.Message);
            }
            finally
            {
                log.Add("finally-outer");
            }

            Assert.Equal("inner,finally-inner,finally-middle,catch:nested,finally-outer", log.ToString(), "events");
        }

        private static void FilterSelectsHandler()
        {
            var log = new EventLog();
            int code = -1;
            try
            {
                Throwers.Throw(new CustomException("filtered", 7));
            }
            catch (CustomException e) when (log.AddAndReturn("filter-code-3", e.Code == 3))
            {
                code = 3;
            }
            catch (CustomException e) when (log.AddAndReturn("filter-code-7", e.Code == 7))
            {
                code = e.Code;
            }

            Assert.Equal(7, code, "the second filter's handler ran");
            Assert.Equal("filter-code-3,filter-code-7", log.ToString(), "both filters ran, in order");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowWithFinally(EventLog log)
        {
            try
            {
                log.Add("throw");
                Throwers.Throw(new InvalidOperationException("two passes"));
            }
            finally
            {
                log.Add("inner-finally");
            }
        }

        private static void FilterRunsBeforeInnerFinally()
        {
            var log = new EventLog();
            try
            {
                ThrowWithFinally(log);
            }
            catch (InvalidOperationException) when (log.AddAndReturn("filter", true))
            {
                log.Add("catch");
            }

            // The first pass finds the handler (running the filter) before the second pass runs any finally.
            Assert.Equal("throw,filter,inner-finally,catch", log.ToString(), "two-pass order");
        }

        private static bool ThrowingFilter(Exception e) => throw new InvalidCastException("inside the filter");

        private static void ThrowingFilterCountsAsFalse()
        {
            string handler = "none";
            try
            {
                try
                {
                    Throwers.Throw(new ArgumentException("original"));
                }
                catch (ArgumentException e) when (ThrowingFilter(e))
                {
                    handler = "filtered";
                }
            }
            catch (ArgumentException e)
            {
                handler = "outer:" + e.Message;
            }

            Assert.Equal("outer:original", handler, "the filter's exception is swallowed and the original goes on");
        }

        private static void ThrowInsideCatch()
        {
            Exception? caught = null;
            try
            {
                try
                {
                    Throwers.Throw(new InvalidOperationException("first"));
                }
                catch (InvalidOperationException first)
                {
                    throw new ApplicationException("second", first);
                }
            }
            catch (ApplicationException second)
            {
                caught = second;
            }

            Assert.NotNull(caught, "the exception thrown in the catch block");
            Assert.Equal("second", caught!.Message, "outer message");
            Assert.Equal("first", caught.InnerException?.Message, "InnerException message");
        }

        private static void ThrowInsideFinallyReplaces()
        {
            var log = new EventLog();
            try
            {
                try
                {
                    Throwers.Throw(new InvalidOperationException("lost"));
                }
                finally
                {
                    log.Add("finally");
                    Throwers.Throw(new FormatException("replacement"));
                }
            }
            catch (InvalidOperationException)
            {
                log.Add("caught-original");
            }
            catch (FormatException e)
            {
                log.Add("caught:" + e.Message);
            }

            Assert.Equal("finally,caught:replacement", log.ToString(), "the finally's exception replaces the original");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ReplaceInFinally(EventLog log)
        {
            try
            {
                Throwers.Throw(new InvalidOperationException("lost"));
            }
            finally
            {
                log.Add("finally");
                Throwers.Throw(new FormatException("replacement"));
            }
        }

        private static void FilterSeesOriginalThenReplacement()
        {
            var log = new EventLog();
            try
            {
                ReplaceInFinally(log);
            }
            catch (Exception e) when (log.AddAndReturn("filter:" + e.Message, true))
            {
                log.Add("catch:" + e.Message);
            }

            // The first pass picks the handler for the original; the finally's new exception starts a new dispatch.
            Assert.Equal("filter:lost,finally,filter:replacement,catch:replacement", log.ToString(), "events");
        }

        private static void TryCatchInsideCatchAndFinally()
        {
            var log = new EventLog();
            try
            {
                Throwers.Throw(new InvalidOperationException("outer"));
            }
            catch (InvalidOperationException outer)
            {
                try
                {
                    Throwers.Throw(new FormatException("inner"));
                }
                catch (FormatException inner)
                {
                    log.Add(inner.Message + "-in-catch");
                }

                log.Add(outer.Message + "-still-current");
            }
            finally
            {
                try
                {
                    Throwers.ThrowIfPositive(Opaque.Value(1));
                }
                catch (ArgumentOutOfRangeException)
                {
                    log.Add("caught-in-finally");
                }
            }

            Assert.Equal("inner-in-catch,outer-still-current,caught-in-finally", log.ToString(), "events");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnwindThroughFinallyThatCatches(EventLog log)
        {
            try
            {
                Throwers.Throw(new InvalidOperationException("outer"));
            }
            finally
            {
                // A second dispatch, complete within the finally, while the first is unwinding.
                try
                {
                    Throwers.Throw(new FormatException("inner"));
                }
                catch (FormatException inner)
                {
                    log.Add("finally-caught:" + inner.Message);
                }
            }
        }

        private static void HandledInsideFinallyDuringUnwinding()
        {
            var log = new EventLog();
            try
            {
                UnwindThroughFinallyThatCatches(log);
            }
            catch (InvalidOperationException e)
            {
                log.Add("outer-caught:" + e.Message);
            }

            Assert.Equal("finally-caught:inner,outer-caught:outer", log.ToString(), "the original exception goes on after the finally");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool FilterThatHandlesItsOwnException(EventLog log)
        {
            try
            {
                Throwers.ThrowIfPositive(Opaque.Value(3));
                return false;
            }
            catch (ArgumentOutOfRangeException)
            {
                log.Add("filter-internal-catch");
                return true;
            }
        }

        private static void FilterCallsCodeThatThrowsAndCatches()
        {
            var log = new EventLog();
            try
            {
                ThrowWithFinally(log);
            }
            catch (InvalidOperationException) when (FilterThatHandlesItsOwnException(log))
            {
                log.Add("catch");
            }

            Assert.Equal("throw,filter-internal-catch,inner-finally,catch", log.ToString(), "a nested dispatch inside the first pass");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string CatchAs<TException>(Action action)
            where TException : Exception
        {
            try
            {
                action();
                return "none";
            }
            catch (TException e)
            {
                return "caught " + e.GetType().Name;
            }
        }

        private static void CatchGenericExceptionType()
        {
            Assert.Equal("caught FormatException", CatchAs<FormatException>(() => Throwers.Throw(new FormatException())), "catch (T) with T = FormatException");
            Assert.Equal("caught ArgumentNullException", CatchAs<ArgumentException>(() => Throwers.Throw(new ArgumentNullException())), "catch (T) with a base type");
            Assert.Throws<FormatException>(() => CatchAs<ArgumentException>(() => Throwers.Throw(new FormatException())), "catch (T) does not catch other types");
        }

        private static void ThrowNullThrowsNullReference()
        {
            Exception? nothing = Opaque.Value<Exception?>(null);
            Assert.Throws<NullReferenceException>(() => throw nothing!, "throw null");
        }
    }
}
