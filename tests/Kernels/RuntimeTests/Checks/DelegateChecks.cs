using System;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Delegates: static, instance, virtual, closures, multicast, generic Func/Action.</summary>
    internal static class DelegateChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("delegate.static-method", StaticMethod);
            tests.Add("delegate.instance-method-and-target", InstanceMethodAndTarget);
            tests.Add("delegate.virtual-method-binds-override", VirtualMethodBindsOverride);
            tests.Add("delegate.closure-shares-captured-variables", ClosureSharesCapturedVariables);
            tests.Add("delegate.multicast-order-and-removal", MulticastOrderAndRemoval);
            tests.Add("delegate.generic-func-and-action", GenericFuncAndAction);
            tests.Add("delegate.equality-and-struct-targets", EqualityAndStructTargets);
        }

        private delegate int BinaryOperation(int left, int right);

        private class Greeter
        {
            private readonly string _name;

            public Greeter(string name) => _name = name;

            public string Greet(string greeting) => greeting + ", " + _name;

            public virtual string Kind() => "greeter";
        }

        private sealed class LoudGreeter : Greeter
        {
            public LoudGreeter()
                : base("loud")
            {
            }

            public override string Kind() => "loud greeter";
        }

        private struct Accumulator
        {
            public int Total;

            public int Add(int value) => Total += value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Multiply(int left, int right) => left * right;

        private static int Subtract(int left, int right) => left - right;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T Twice<T>(Func<T, T> function, T value) => function(function(value));

        private static void StaticMethod()
        {
            BinaryOperation multiply = Multiply;
            BinaryOperation subtract = Opaque.Value<BinaryOperation>(Subtract);
            Assert.Equal(42, multiply(Opaque.Value(6), 7), "static delegate Multiply");
            Assert.Equal(-1, subtract(Opaque.Value(6), 7), "static delegate Subtract");
            Assert.Null(multiply.Target, "Target of a static delegate");
        }

        private static void InstanceMethodAndTarget()
        {
            var greeter = new Greeter("kernel");
            Func<string, string> greet = Opaque.Value<Func<string, string>>(greeter.Greet);
            Assert.Equal("hello, kernel", greet("hello"), "instance delegate");
            Assert.Same(greeter, greet.Target, "Target of an instance delegate");
        }

        private static void VirtualMethodBindsOverride()
        {
            Greeter greeter = Opaque.Value<Greeter>(new LoudGreeter());
            Func<string> kind = greeter.Kind;
            Assert.Equal("loud greeter", kind(), "delegate to a virtual method calls the override");
            Func<string> baseKind = Opaque.Value<Greeter>(new Greeter("plain")).Kind;
            Assert.Equal("greeter", baseKind(), "delegate to the base implementation");
        }

        private static void ClosureSharesCapturedVariables()
        {
            int counter = 0;
            Action increment = () => counter++;
            Func<int> read = () => counter;
            increment();
            increment();
            Assert.Equal(2, read(), "the closures share one variable");
            counter = 40;
            increment();
            increment();
            Assert.Equal(42, read(), "writes from the enclosing method are seen");
            var adders = new Func<int, int>[3];
            for (int i = 0; i < adders.Length; i++)
            {
                int captured = i * 10;
                adders[i] = x => x + captured;
            }

            Assert.Equal(21, adders[2](1), "each loop iteration captures its own variable");
            Assert.Equal(1, adders[0](1), "the first closure keeps its value");
        }

        private static void MulticastOrderAndRemoval()
        {
            var log = new EventLog();
            Action first = () => log.Add("first");
            Action second = () => log.Add("second");
            Action third = () => log.Add("third");
            Action all = first + second + third;
            all();
            Assert.Equal("first,second,third", log.ToString(), "invocation order");
            Assert.Equal(3, all.GetInvocationList().Length, "GetInvocationList().Length");
            Action? withoutSecond = all - second;
            withoutSecond!();
            Assert.Equal("first,second,third,first,third", log.ToString(), "after removing the middle delegate");
            Func<int> one = () => 1;
            Func<int> two = () => 2;
            Func<int> both = one + two;
            Assert.Equal(2, both(), "a multicast Func returns the last result");
        }

        private static void GenericFuncAndAction()
        {
            Assert.Equal(16, Twice(x => x * x, Opaque.Value(2)), "Func<int, int>");
            Assert.Equal("aaaa", Twice(s => s + s, Opaque.Value("a")), "Func<string, string>");
            string? seen = null;
            Action<string, int> record = (text, count) => seen = text + count;
            record("n=", 3);
            Assert.Equal("n=3", seen, "Action<string, int>");
            Func<int, int, int, int, int> four = (a, b, c, d) => (a * 1000) + (b * 100) + (c * 10) + d;
            Assert.Equal(1234, four(1, 2, 3, 4), "Func with four arguments");
            Func<double, double> half = x => x / 2;
            Assert.BitEqual(0.75, half(Opaque.Value(1.5)), "Func<double, double>");
        }

        private static void EqualityAndStructTargets()
        {
            var greeter = new Greeter("g");
            Func<string, string> a = greeter.Greet;
            Func<string, string> b = greeter.Greet;
            Assert.True(a.Equals(b), "delegates to the same method and target are equal");
            Assert.False(a.Equals((Func<string, string>)new Greeter("h").Greet), "different targets are not equal");
            var accumulator = new Accumulator();
            Func<int, int> add = accumulator.Add;
            add(5);
            Assert.Equal(12, add(7), "a delegate over a struct method works on its own boxed copy");
            Assert.Equal(0, accumulator.Total, "the original struct is untouched");
        }
    }
}
