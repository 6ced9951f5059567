using System;
using System.Collections;
using System.Collections.Generic;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Type tests and casts: classes, interfaces, arrays, variance, numeric conversions.</summary>
    internal static class CastingChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("cast.class-hierarchy-is-and-as", ClassHierarchyIsAndAs);
            tests.Add("cast.invalid-cast-throws", InvalidCastThrows);
            tests.Add("cast.interfaces", Interfaces);
            tests.Add("cast.arrays-and-covariance", ArraysAndCovariance);
            tests.Add("cast.generic-variance", GenericVariance);
            tests.Add("cast.null-is-nothing-and-casts-to-anything", NullCasts);
            tests.Add("cast.numeric-conversions", NumericConversions);
        }

        private class Animal
        {
        }

        private class Dog : Animal, IComparable<Dog>
        {
            public int CompareTo(Dog? other) => 0;
        }

        private sealed class Puppy : Dog
        {
        }

        private sealed class Cat : Animal
        {
        }

        private static void ClassHierarchyIsAndAs()
        {
            object puppy = Opaque.Value<object>(new Puppy());
            Assert.True(puppy is Puppy, "Puppy is Puppy");
            Assert.True(puppy is Dog, "Puppy is Dog");
            Assert.True(puppy is Animal, "Puppy is Animal");
            Assert.False(puppy is Cat, "Puppy is Cat");
            Assert.NotNull(puppy as Dog, "Puppy as Dog");
            Assert.Null(puppy as Cat, "Puppy as Cat");
            Assert.False(puppy is string, "Puppy is string");
            Animal animal = Opaque.Value<Animal>(new Cat());
            Assert.True(animal is Cat, "Animal variable holding a Cat is Cat");
        }

        private static void InvalidCastThrows()
        {
            object cat = Opaque.Value<object>(new Cat());
            InvalidCastException classCast = Assert.Throws<InvalidCastException>(() => Opaque.Value((Dog)cat), "(Dog)cat");
            Assert.True(classCast.Message.Length > 0, "InvalidCastException has a message");
            Assert.Throws<InvalidCastException>(() => Opaque.Value((string)cat), "(string)cat");
            Assert.Throws<InvalidCastException>(() => Opaque.Value((IDisposable)cat), "(IDisposable)cat");
            Assert.Throws<InvalidCastException>(() => Opaque.Value((int[])cat), "(int[])cat");
        }

        private static void Interfaces()
        {
            object dog = Opaque.Value<object>(new Puppy());
            Assert.True(dog is IComparable<Dog>, "Puppy is IComparable<Dog> (inherited)");
            Assert.True(dog is IComparable<Puppy>, "Puppy is IComparable<Puppy> (IComparable<in T> is contravariant)");
            Assert.False(dog is IEquatable<Dog>, "Puppy is not IEquatable<Dog>");
            Assert.False(dog is IDisposable, "Puppy is not IDisposable");
            object list = Opaque.Value<object>(new List<int>());
            Assert.True(list is IEnumerable, "List<int> is IEnumerable");
            Assert.True(list is IReadOnlyList<int>, "List<int> is IReadOnlyList<int>");
            Assert.False(list is IList<long>, "List<int> is not IList<long>");
        }

        private static void ArraysAndCovariance()
        {
            object strings = Opaque.Value<object>(new string[] { "a", "b" });
            Assert.True(strings is object[], "string[] is object[]");
            Assert.True(strings is IEnumerable<string>, "string[] is IEnumerable<string>");
            Assert.True(strings is IEnumerable<object>, "string[] is IEnumerable<object>");
            Assert.True(strings is IList<string>, "string[] is IList<string>");
            Assert.True(strings is Array, "string[] is Array");
            Assert.False(strings is int[], "string[] is not int[]");
            object ints = Opaque.Value<object>(new int[3]);
            Assert.False(ints is object[], "int[] is not object[]");
            Assert.True(ints is uint[], "int[] is uint[] (the CLR's array rules)");
            Assert.True(ints is IList<int>, "int[] is IList<int>");
            object dogs = Opaque.Value<object>(new Dog[1]);
            Assert.True(dogs is Animal[], "Dog[] is Animal[]");
            Assert.False(dogs is Puppy[], "Dog[] is not Puppy[]");
        }

        private static void GenericVariance()
        {
            object strings = Opaque.Value<object>(new List<string> { "x" });
            Assert.True(strings is IEnumerable<object>, "List<string> is IEnumerable<object> (covariance)");
            Assert.False(strings is IList<object>, "List<string> is not IList<object> (invariant)");
            object func = Opaque.Value<object>(new Func<string>(() => "s"));
            Assert.True(func is Func<object>, "Func<string> is Func<object>");
            object action = Opaque.Value<object>(new Action<object>(_ => { }));
            Assert.True(action is Action<string>, "Action<object> is Action<string> (contravariance)");
            object comparer = Opaque.Value<object>(Comparer<Animal>.Default);
            Assert.True(comparer is IComparer<Dog>, "IComparer<Animal> is IComparer<Dog>");
            IEnumerable<Animal> animals = (IEnumerable<Animal>)Opaque.Value<object>(new List<Dog> { new Dog() });
            int count = 0;
            foreach (Animal a in animals)
            {
                count += a is Dog ? 1 : 100;
            }

            Assert.Equal(1, count, "enumerating a List<Dog> as IEnumerable<Animal>");
        }

        private static void NullCasts()
        {
            object? nothing = Opaque.Value<object?>(null);
            Assert.False(nothing is object, "null is object");
            Assert.False(nothing is string, "null is string");
            Assert.Null((string?)nothing, "(string)null");
            Assert.Null((IDisposable?)nothing, "(IDisposable)null");
            Assert.Null(nothing as Dog, "null as Dog");
        }

        private static void NumericConversions()
        {
            double positive = Opaque.Value(3.9), negative = Opaque.Value(-3.9);
            Assert.Equal(3, (int)positive, "(int)3.9");
            Assert.Equal(-3, (int)negative, "(int)-3.9");
            Assert.Equal((byte)44, unchecked((byte)Opaque.Value(300)), "(byte)300");
            Assert.Equal(-1, unchecked((int)Opaque.Value(uint.MaxValue)), "(int)uint.MaxValue");
            Assert.Equal(4294967295UL, (ulong)Opaque.Value(uint.MaxValue), "(ulong)uint.MaxValue");
            Assert.Equal(-128, (int)unchecked((sbyte)Opaque.Value(128)), "(sbyte)128");
            // .NET 9 made floating-point to integer conversions saturate on every platform.
            Assert.Equal(int.MaxValue, (int)Opaque.Value(1e10), "(int)1e10 saturates");
            Assert.Equal(int.MinValue, (int)Opaque.Value(-1e10), "(int)-1e10 saturates");
            Assert.Equal(0, (int)Opaque.Value(double.NaN), "(int)NaN is 0");
            Assert.Equal(ulong.MaxValue, (ulong)Opaque.Value(1e30), "(ulong)1e30 saturates");
            Assert.Equal(9007199254740993L, (long)Opaque.Value(9007199254740993L), "long survives a round trip through Opaque");
            Assert.BitEqual(9007199254740992.0, (double)Opaque.Value(9007199254740993L), "(double)(2^53+1) rounds to even");
            Assert.BitEqual(1.8446744073709552E+19, (double)Opaque.Value(ulong.MaxValue), "(double)ulong.MaxValue");
            Assert.Equal(3.5f, (float)Opaque.Value(3.5), "(float)3.5");
        }
    }
}
