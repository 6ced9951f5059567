using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// Virtual and interface dispatch: overrides, hiding, explicit implementations, default
    /// interface methods, generic virtual methods, generic and variant interfaces, static
    /// abstract members, and one call site that sees many receiver types (the dispatch cache).
    /// </summary>
    internal static partial class DispatchChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("dispatch.virtual-override-chain", VirtualOverrideChain);
            tests.Add("dispatch.new-slot-hides-without-overriding", NewSlotHides);
            tests.Add("dispatch.interface-implicit-and-explicit", InterfaceImplicitAndExplicit);
            tests.Add("dispatch.default-interface-methods", DefaultInterfaceMethods);
            tests.Add("dispatch.generic-virtual-methods", GenericVirtualMethods);
            tests.Add("dispatch.generic-interface-methods", GenericInterfaceMethods);
            tests.Add("dispatch.generic-interface-two-instantiations", GenericInterfaceTwoInstantiations);
            tests.Add("dispatch.variant-interfaces", VariantInterfaces);
            tests.Add("dispatch.static-abstract-interface-members", StaticAbstractInterfaceMembers);
            tests.Add("dispatch.constrained-calls-on-structs", ConstrainedCallsOnStructs);
            tests.Add("dispatch.interface-site-with-twelve-receiver-types", InterfaceSiteWithTwelveReceiverTypes);
            tests.Add("dispatch.virtual-site-with-twelve-receiver-types", VirtualSiteWithTwelveReceiverTypes);
            tests.Add("dispatch.object-virtuals", ObjectVirtuals);
        }

        private class Base
        {
            public virtual string Name() => "Base";

            public virtual string Describe() => "I am " + Name();
        }

        private class Middle : Base
        {
            public override string Name() => "Middle";
        }

        private sealed class Leaf : Middle
        {
            public override string Name() => "Leaf<" + base.Name() + ">";

            public override string Describe() => base.Describe() + "!";
        }

        private class Hider : Base
        {
            public new virtual string Name() => "Hider";
        }

        private interface IShape
        {
            double Area();

            string Label { get; }
        }

        private sealed class Square : IShape, IDisposable
        {
            public double Side = 3;

            public bool Disposed;

            public double Area() => Side * Side;

            string IShape.Label => "square";

            void IDisposable.Dispose() => Disposed = true;
        }

        private interface IGreeter
        {
            string Name { get; }

            string Greet() => "Hello, " + Name;

            string Farewell() => "Bye, " + Name;
        }

        private interface IFormalGreeter : IGreeter
        {
            string IGreeter.Greet() => "Good day, " + Name;
        }

        private sealed class PlainGreeter : IGreeter
        {
            public string Name => "plain";
        }

        private sealed class FormalGreeter : IFormalGreeter
        {
            public string Name => "formal";
        }

        private sealed class CustomGreeter : IGreeter
        {
            public string Name => "custom";

            public string Farewell() => "See you, " + Name;
        }

        private class Converter
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            public virtual string Convert<T>(T value) => "base:" + value;
        }

        private sealed class BracketConverter : Converter
        {
            public override string Convert<T>(T value) => "[" + value + ":" + (typeof(T) == typeof(int) ? "int" : typeof(T) == typeof(string) ? "string" : "?") + "]";
        }

        private interface IWrapper
        {
            List<T> Wrap<T>(T value, int count);
        }

        private sealed class ListWrapper : IWrapper
        {
            public List<T> Wrap<T>(T value, int count)
            {
                var list = new List<T>();
                for (int i = 0; i < count; i++)
                {
                    list.Add(value);
                }

                return list;
            }
        }

        private interface ISource<T>
        {
            T Get();
        }

        private sealed class TwoSources : ISource<int>, ISource<string>
        {
            int ISource<int>.Get() => 42;

            string ISource<string>.Get() => "forty-two";
        }

        private interface IZero<TSelf>
            where TSelf : IZero<TSelf>
        {
            static abstract TSelf Zero { get; }

            static abstract TSelf Add(TSelf left, TSelf right);

            static virtual string Describe() => "zero-able";
        }

        private readonly struct Money : IZero<Money>
        {
            public readonly long Cents;

            public Money(long cents) => Cents = cents;

            public static Money Zero => new Money(0);

            public static Money Add(Money left, Money right) => new Money(left.Cents + right.Cents);

            public static string Describe() => "money";
        }

        private sealed class Counter : IZero<Counter>
        {
            public int Count;

            public static Counter Zero => new Counter();

            public static Counter Add(Counter left, Counter right) => new Counter { Count = left.Count + right.Count };
        }

        private interface IIncrement
        {
            int Increment();
        }

        private struct StructCounter : IIncrement
        {
            public int Value;

            public int Increment() => ++Value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T SumAll<T>(T[] values)
            where T : IZero<T>
        {
            T total = T.Zero;
            foreach (T value in values)
            {
                total = T.Add(total, value);
            }

            return total;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string DescribeOf<T>()
            where T : IZero<T> => T.Describe();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int IncrementTwice<T>(ref T counter)
            where T : IIncrement
        {
            counter.Increment();
            return counter.Increment();
        }

        private static void VirtualOverrideChain()
        {
            Base[] objects = Opaque.Value(new Base[] { new Base(), new Middle(), new Leaf() });
            Assert.Equal("I am Base", objects[0].Describe(), "Base");
            Assert.Equal("I am Middle", objects[1].Describe(), "Middle");
            Assert.Equal("I am Leaf<Middle>!", objects[2].Describe(), "Leaf (base calls)");
        }

        private static void NewSlotHides()
        {
            Hider hider = Opaque.Value(new Hider());
            Base asBase = hider;
            Assert.Equal("Hider", hider.Name(), "through the Hider type");
            Assert.Equal("Base", asBase.Name(), "through the Base type: the new slot does not override");
            Assert.Equal("I am Base", hider.Describe(), "Describe calls Base.Name's slot");
        }

        private static void InterfaceImplicitAndExplicit()
        {
            var square = new Square();
            IShape shape = Opaque.Value<IShape>(square);
            Assert.BitEqual(9.0, shape.Area(), "implicit implementation");
            Assert.Equal("square", shape.Label, "explicit implementation");
            using (Opaque.Value<IDisposable>(square))
            {
            }

            Assert.True(square.Disposed, "explicit IDisposable.Dispose ran at the end of using");
        }

        private static void DefaultInterfaceMethods()
        {
            IGreeter plain = Opaque.Value<IGreeter>(new PlainGreeter());
            IGreeter formal = Opaque.Value<IGreeter>(new FormalGreeter());
            IGreeter custom = Opaque.Value<IGreeter>(new CustomGreeter());
            Assert.Equal("Hello, plain", plain.Greet(), "default implementation");
            Assert.Equal("Good day, formal", formal.Greet(), "override in a derived interface");
            Assert.Equal("Bye, formal", formal.Farewell(), "default through the derived interface");
            Assert.Equal("See you, custom", custom.Farewell(), "class implementation wins over the default");
            Assert.Equal("Hello, custom", custom.Greet(), "default where the class implements the other method");
        }

        private static void GenericVirtualMethods()
        {
            Converter converter = Opaque.Value<Converter>(new BracketConverter());
            Assert.Equal("[5:int]", converter.Convert(5), "Convert<int>");
            Assert.Equal("[s:string]", converter.Convert("s"), "Convert<string>");
            Assert.Equal("[2.5:?]", converter.Convert(2.5), "Convert<double>");
            Converter plain = Opaque.Value(new Converter());
            Assert.Equal("base:7", plain.Convert(7L), "base implementation");
        }

        private static void GenericInterfaceMethods()
        {
            IWrapper wrapper = Opaque.Value<IWrapper>(new ListWrapper());
            List<int> ints = wrapper.Wrap(Opaque.Value(3), 2);
            List<string> strings = wrapper.Wrap("x", 3);
            Assert.SequenceEqual(new[] { 3, 3 }, ints, "Wrap<int>");
            Assert.SequenceEqual(new[] { "x", "x", "x" }, strings, "Wrap<string>");
        }

        private static void GenericInterfaceTwoInstantiations()
        {
            object sources = Opaque.Value<object>(new TwoSources());
            Assert.Equal(42, ((ISource<int>)sources).Get(), "ISource<int>");
            Assert.Equal("forty-two", ((ISource<string>)sources).Get(), "ISource<string>");
        }

        private static void VariantInterfaces()
        {
            IEnumerable<object> objects = Opaque.Value<IEnumerable<object>>(new List<string> { "a", "b" });
            string joined = "";
            foreach (object o in objects)
            {
                joined += o;
            }

            Assert.Equal("ab", joined, "IEnumerable<object> over List<string>");
            IComparer<string> comparer = Opaque.Value<IComparer<object>>(Comparer<object>.Create((a, b) => a.GetHashCode().CompareTo(b.GetHashCode())));
            Assert.Equal(0, comparer.Compare("same", "same"), "IComparer<object> used as IComparer<string>");
        }

        private static void StaticAbstractInterfaceMembers()
        {
            Money total = SumAll(new[] { new Money(150), new Money(275) });
            Assert.Equal(425L, total.Cents, "SumAll<Money>");
            Counter count = SumAll(new[] { new Counter { Count = 2 }, new Counter { Count = 3 } });
            Assert.Equal(5, count.Count, "SumAll<Counter>");
            Assert.Equal("money", DescribeOf<Money>(), "static virtual overridden");
            Assert.Equal("zero-able", DescribeOf<Counter>(), "static virtual default");
        }

        private static void ConstrainedCallsOnStructs()
        {
            var counter = new StructCounter();
            Assert.Equal(2, IncrementTwice(ref counter), "constrained calls return");
            Assert.Equal(2, counter.Value, "constrained calls mutate the struct in place, unboxed");
            IIncrement boxed = counter;
            IncrementTwice(ref boxed);
            Assert.Equal(2, counter.Value, "the boxed copy is separate");
            Assert.Equal(4, ((StructCounter)boxed).Value, "the boxed copy counted");
        }

        private static void ObjectVirtuals()
        {
            object[] values = Opaque.Value(new object[] { new Leaf(), 12, "text", 2.5, new Money(3) });
            Assert.Equal("RuntimeTests.Checks.DispatchChecks+Leaf", values[0].ToString(), "default ToString names the type");
            Assert.Equal("12", values[1].ToString(), "int ToString");
            Assert.Equal("text", values[2].ToString(), "string ToString");
            Assert.Equal("2.5", values[3].ToString(), "double ToString");
            Assert.True(values[1].Equals(12), "int Equals");
            Assert.True(values[2].Equals("te" + Opaque.Value("xt")), "string Equals compares content");
            Assert.Equal("text".GetHashCode(), values[2].GetHashCode(), "string GetHashCode");
        }
    }
}
