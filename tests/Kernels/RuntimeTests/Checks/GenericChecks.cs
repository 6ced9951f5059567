using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Generic types and methods over value and reference types (shared and unshared code).</summary>
    internal static class GenericChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("generic.container-of-value-types", ContainerOfValueTypes);
            tests.Add("generic.container-of-reference-types", ContainerOfReferenceTypes);
            tests.Add("generic.methods-with-constraints", MethodsWithConstraints);
            tests.Add("generic.statics-per-instantiation", StaticsPerInstantiation);
            tests.Add("generic.new-and-default", NewAndDefault);
            tests.Add("generic.type-identity", TypeIdentity);
            tests.Add("generic.math-over-static-abstract-members", GenericMath);
            tests.Add("generic.nested-instantiations", NestedInstantiations);
        }

        private sealed class Box<T>
        {
            private T _value;

            public Box(T value) => _value = value;

            public T Value => _value;

            [MethodImpl(MethodImplOptions.NoInlining)]
            public T Exchange(T value)
            {
                T old = _value;
                _value = value;
                return old;
            }

            public bool Holds(T value) => EqualityComparer<T>.Default.Equals(_value, value);
        }

        private struct Big
        {
            public long A, B, C, D;
        }

        private static class PerType<T>
        {
            public static int Count;
            public static readonly string Name = typeof(T) == typeof(int) ? "int" : typeof(T) == typeof(string) ? "string" : "other";
        }

        private sealed class Made
        {
            public int Value = 7;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T Largest<T>(T first, T second)
            where T : IComparable<T> => first.CompareTo(second) >= 0 ? first : second;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Swap<T>(ref T a, ref T b) => (a, b) = (b, a);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T Make<T>()
            where T : new() => new T();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T? DefaultOf<T>() => default;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T Sum<T>(IEnumerable<T> values)
            where T : INumber<T>
        {
            T total = T.Zero;
            foreach (T value in values)
            {
                total += value;
            }

            return total;
        }

        private static void ContainerOfValueTypes()
        {
            var ints = new Box<int>(Opaque.Value(1));
            Assert.Equal(1, ints.Exchange(2), "Box<int>.Exchange returns the old value");
            Assert.Equal(2, ints.Value, "Box<int>.Value");
            var doubles = new Box<double>(1.5);
            Assert.BitEqual(1.5, doubles.Exchange(-0.0), "Box<double>.Exchange");
            Assert.BitEqual(-0.0, doubles.Value, "Box<double>.Value keeps -0.0");
            var big = new Box<Big>(new Big { A = 1, B = 2, C = 3, D = 4 });
            Big old = big.Exchange(new Big { A = 5, B = 6, C = 7, D = 8 });
            Assert.Equal(10L, old.A + old.B + old.C + old.D, "Box<Big> old value");
            Assert.Equal(8L, big.Value.D, "Box<Big> new value");
            Assert.True(new Box<Guid>(Guid.Empty).Holds(Guid.Empty), "Box<Guid>.Holds");
        }

        private static void ContainerOfReferenceTypes()
        {
            var strings = new Box<string>("a");
            Assert.Equal("a", strings.Exchange("b"), "Box<string>.Exchange");
            Assert.True(strings.Holds("b"), "Box<string>.Holds");
            var objects = new Box<object>(new object());
            object replacement = new int[] { 3 };
            objects.Exchange(replacement);
            Assert.Same(replacement, objects.Value, "Box<object>.Value");
            var lists = new Box<List<string>>(new List<string> { "x" });
            Assert.Equal("x", lists.Value[0], "Box<List<string>>");
        }

        private static void MethodsWithConstraints()
        {
            Assert.Equal(9, Largest(Opaque.Value(9), 4), "Largest<int>");
            Assert.Equal("pear", Largest("apple", Opaque.Value("pear")), "Largest<string>");
            Assert.BitEqual(2.5, Largest(-1.0, Opaque.Value(2.5)), "Largest<double>");
            int a = 1, b = 2;
            Swap(ref a, ref b);
            Assert.Equal(21, (a * 10) + b, "Swap<int>");
            string s = "s", t = "t";
            Swap(ref s, ref t);
            Assert.Equal("ts", s + t, "Swap<string>");
        }

        private static void StaticsPerInstantiation()
        {
            PerType<int>.Count += 1;
            PerType<string>.Count += 10;
            PerType<object>.Count += 100;
            PerType<int>.Count += 1;
            Assert.Equal(2, PerType<int>.Count, "PerType<int>.Count");
            Assert.Equal(10, PerType<string>.Count, "PerType<string>.Count");
            Assert.Equal(100, PerType<object>.Count, "PerType<object>.Count");
            Assert.Equal("int", PerType<int>.Name, "PerType<int>.Name");
            Assert.Equal("string", PerType<string>.Name, "PerType<string>.Name");
            Assert.Equal("other", PerType<Made>.Name, "PerType<Made>.Name");
        }

        private static void NewAndDefault()
        {
            Assert.Equal(7, Make<Made>().Value, "new T() for a class");
            Assert.Equal(0, Make<int>(), "new T() for int");
            Assert.Null(DefaultOf<string>(), "default(string)");
            Assert.Equal(0L, DefaultOf<long>(), "default(long)");
            Assert.Equal(Guid.Empty, DefaultOf<Guid>(), "default(Guid)");
        }

        private static void TypeIdentity()
        {
            object list = Opaque.Value<object>(new List<int>());
            Assert.True(list.GetType() == typeof(List<int>), "GetType() == typeof(List<int>)");
            Assert.False(list.GetType() == typeof(List<long>), "GetType() != typeof(List<long>)");
            Assert.True(typeof(List<string>) != typeof(List<object>), "List<string> and List<object> are different types");
            Assert.True(typeof(Dictionary<,>) == typeof(Dictionary<int, int>).GetGenericTypeDefinition(), "GetGenericTypeDefinition");
        }

        private static void GenericMath()
        {
            Assert.Equal(15, Sum(new[] { 1, 2, 3, 4, 5 }), "Sum<int>");
            Assert.Equal(15L, Sum(new List<long> { 1, 2, 3, 4, 5 }), "Sum<long>");
            Assert.BitEqual(0.75, Sum(new[] { 0.5, 0.25 }), "Sum<double>");
            Assert.Equal(3.5m, Sum(new[] { 1.25m, 2.25m }), "Sum<decimal>");
        }

        private static void NestedInstantiations()
        {
            var map = new Dictionary<string, List<KeyValuePair<int, string>>>();
            map["a"] = new List<KeyValuePair<int, string>> { new(1, "one"), new(2, "two") };
            map["b"] = new List<KeyValuePair<int, string>>();
            Assert.Equal("two", map["a"][1].Value, "nested generic value");
            Assert.Equal(0, map["b"].Count, "empty nested list");
            var tuple = (Opaque.Value(1), "x", 2.5, new List<int?> { null, 3 });
            Assert.Equal((int?)3, tuple.Item4[1], "value tuple of generics");
            Assert.Null(tuple.Item4[0], "List<int?> with null");
        }
    }
}
