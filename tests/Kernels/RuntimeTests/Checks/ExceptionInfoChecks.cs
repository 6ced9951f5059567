using System;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// What an exception carries: messages of the runtime's own exceptions, stack traces that
    /// name the methods (built from the stack trace metadata), rethrow keeping the original
    /// trace, ToString, inner exceptions and custom exception types.
    /// </summary>
    internal static class ExceptionInfoChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("exception-info.stack-trace-names-methods-in-order", StackTraceNamesMethodsInOrder);
            tests.Add("exception-info.rethrow-keeps-original-stack-trace", RethrowKeepsOriginalStackTrace);
            tests.Add("exception-info.throw-again-restarts-stack-trace", ThrowAgainRestartsStackTrace);
            tests.Add("exception-info.to-string", ExceptionToString);
            tests.Add("exception-info.runtime-exception-messages", RuntimeExceptionMessages);
            tests.Add("exception-info.custom-exception-and-inner-chain", CustomExceptionAndInnerChain);
            tests.Add("exception-info.stack-trace-through-virtual-interface-and-delegate", StackTraceThroughVirtualInterfaceAndDelegate);
        }

        private sealed class DeviceException : Exception
        {
            public DeviceException(string device, int status, Exception? inner = null)
                : base($"device {device} failed with status {status}", inner)
            {
                Device = device;
                Status = status;
            }

            public string Device { get; }

            public int Status { get; }
        }

        private interface IStep
        {
            void Run();
        }

        private abstract class StepBase : IStep
        {
            public abstract void Run();
        }

        private sealed class FailingStep : StepBase
        {
            public int Runs;

            // Not a tail call, so that this frame stays on the stack for the trace to show.
            [MethodImpl(MethodImplOptions.NoInlining)]
            public override void Run()
            {
                StepHelpers.FailInsideStep();
                Runs++;
            }
        }

        private static class StepHelpers
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void FailInsideStep() => throw new InvalidOperationException("step failed");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OuterMethodForTrace() => MiddleMethodForTrace(Opaque.Value(1));

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MiddleMethodForTrace(int value) => InnerMethodForTrace(value + 1);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InnerMethodForTrace(int value) => throw new InvalidOperationException("traced " + value);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OriginalThrower() => throw new FormatException("original");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Rethrower()
        {
            try
            {
                OriginalThrower();
            }
            catch (FormatException)
            {
                throw;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowAgainer()
        {
            try
            {
                OriginalThrower();
            }
            catch (FormatException e)
            {
#pragma warning disable CA2200 // The point of this check is that `throw e` restarts the trace.
                throw e;
#pragma warning restore CA2200
            }
        }

        private static Exception Catch(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                return e;
            }

            Assert.Fail("expected an exception, nothing was thrown");
            return null!;
        }

        private static void AssertOrdered(string trace, params string[] names)
        {
            int position = -1;
            foreach (string name in names)
            {
                int found = trace.IndexOf(name, StringComparison.Ordinal);
                if (found < 0)
                {
                    Assert.Fail($"expected the stack trace to name {name}, got: {trace}");
                }

                if (found <= position)
                {
                    Assert.Fail($"expected {name} after {names[Array.IndexOf(names, name) - 1]} in the stack trace, got: {trace}");
                }

                position = found;
            }
        }

        private static void StackTraceNamesMethodsInOrder()
        {
            Exception e = Catch(OuterMethodForTrace);
            Assert.Equal("traced 2", e.Message, "message");
            string trace = e.StackTrace ?? "";
            AssertOrdered(trace, "InnerMethodForTrace", "MiddleMethodForTrace", "OuterMethodForTrace");
            Assert.Contains("RuntimeTests.Checks.ExceptionInfoChecks.InnerMethodForTrace", trace, "the frame names its declaring type");
            Assert.True(trace.StartsWith("   at ", StringComparison.Ordinal), "each frame line starts with \"   at \" (got: " + trace + ")");
        }

        private static void RethrowKeepsOriginalStackTrace()
        {
            Exception e = Catch(Rethrower);
            AssertOrdered(e.StackTrace ?? "", "OriginalThrower", "Rethrower");
        }

        private static void ThrowAgainRestartsStackTrace()
        {
            Exception e = Catch(ThrowAgainer);
            string trace = e.StackTrace ?? "";
            Assert.Contains("ThrowAgainer", trace, "the new throw's method");
            Assert.False(trace.Contains("OriginalThrower", StringComparison.Ordinal), "`throw e` forgets the original frames (trace: " + trace + ")");
        }

        private static void ExceptionToString()
        {
            Exception e = Catch(OuterMethodForTrace);
            string text = e.ToString();
            Assert.True(text.StartsWith("System.InvalidOperationException: traced 2", StringComparison.Ordinal), "ToString starts with type and message (got: " + text + ")");
            Assert.Contains("InnerMethodForTrace", text, "ToString includes the stack trace");
            var wrapped = new AggregateException("outer", new FormatException("inner one"), new TimeoutException("inner two"));
            string wrappedText = wrapped.ToString();
            Assert.Contains("System.FormatException: inner one", wrappedText, "inner exceptions in ToString");
            Assert.Contains("System.TimeoutException: inner two", wrappedText, "second inner exception in ToString");
        }

        private static void RuntimeExceptionMessages()
        {
            int[] one = new int[1];
            Exception bounds = Catch(() => Opaque.Value(one[Opaque.Value(5)]));
            Assert.IsType<IndexOutOfRangeException>(bounds, "bounds");
            Assert.Equal("Index was outside the bounds of the array.", bounds.Message, "IndexOutOfRangeException message");
            Exception cast = Catch(() => Opaque.Value((string)Opaque.Value<object>(42)));
            Assert.IsType<InvalidCastException>(cast, "cast");
            // NativeAOT's cast helpers throw the class library's InvalidCastException without type names.
            Assert.Equal("Specified cast is not valid.", cast.Message, "InvalidCastException message");
            Exception overflow = Catch(() => Opaque.Value(checked(Opaque.Value(int.MaxValue) + 1)));
            Assert.IsType<OverflowException>(overflow, "overflow");
            Assert.Equal("Arithmetic operation resulted in an overflow.", overflow.Message, "OverflowException message");
            Exception mismatch = Catch(() => Opaque.Value<object[]>(new string[1])[0] = 1);
            Assert.IsType<ArrayTypeMismatchException>(mismatch, "mismatch");
            Assert.Equal("Attempted to access an element as a type incompatible with the array.", mismatch.Message, "ArrayTypeMismatchException message");
            ArgumentNullException argument = Assert.Throws<ArgumentNullException>(() => ArgumentNullException.ThrowIfNull(Opaque.Value<object?>(null), "device"));
            Assert.Equal("device", argument.ParamName, "ParamName");
            Assert.Equal("Value cannot be null. (Parameter 'device')", argument.Message, "ArgumentNullException message");
        }

        private static void CustomExceptionAndInnerChain()
        {
            Exception e = Catch(() =>
            {
                try
                {
                    throw new TimeoutException("no answer");
                }
                catch (TimeoutException timeout)
                {
                    throw new DeviceException("vda", 5, timeout);
                }
            });
            DeviceException device = Assert.IsType<DeviceException>(e, "custom exception");
            Assert.Equal("device vda failed with status 5", device.Message, "message");
            Assert.Equal("vda", device.Device, "Device property");
            Assert.Equal(5, device.Status, "Status property");
            Assert.IsType<TimeoutException>(device.InnerException, "InnerException");
            Assert.Equal("no answer", device.GetBaseException().Message, "GetBaseException");
            device.Data["sector"] = 42;
            Assert.Equal(42, (int)device.Data["sector"]!, "Exception.Data");
        }

        private static void StackTraceThroughVirtualInterfaceAndDelegate()
        {
            IStep step = Opaque.Value<IStep>(new FailingStep());
            Action run = step.Run;
            Exception e = Catch(() => run());
            AssertOrdered(e.StackTrace ?? "", "FailInsideStep", "FailingStep.Run");
        }
    }
}
