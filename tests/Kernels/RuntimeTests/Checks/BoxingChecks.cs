using System;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Boxing and unboxing: primitives, structs, enums, nullables.</summary>
    internal static class BoxingChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("boxing.int-round-trip", IntRoundTrip);
            tests.Add("boxing.struct-is-copied", StructIsCopied);
            tests.Add("boxing.nullable", NullableBoxing);
            tests.Add("boxing.enum", EnumBoxing);
            tests.Add("boxing.unbox-to-wrong-type-throws", UnboxToWrongTypeThrows);
            tests.Add("boxing.struct-through-interface", StructThroughInterface);
            tests.Add("boxing.equals-and-hash-code", EqualsAndHashCode);
        }

        [Flags]
        private enum Color : byte
        {
            Red = 1,
            Green = 2,
            Blue = 4,
        }

        private interface ICounter
        {
            int Increment();
        }

        private struct Counter : ICounter
        {
            public int Count;

            public int Increment() => ++Count;
        }

        private struct Point : IEquatable<Point>
        {
            public int X;
            public int Y;

            public bool Equals(Point other) => X == other.X && Y == other.Y;

            public override bool Equals(object? obj) => obj is Point other && Equals(other);

            public override int GetHashCode() => (X * 397) ^ Y;
        }

        private static void IntRoundTrip()
        {
            object boxed = Opaque.Value(42);
            Assert.True(boxed is int, "boxed 42 is int");
            Assert.Equal(typeof(int), boxed.GetType(), "GetType of a boxed int");
            Assert.Equal(42, (int)boxed, "unboxed value");
            object boxedDouble = Opaque.Value(2.5);
            Assert.BitEqual(2.5, (double)boxedDouble, "unboxed double");
            object boxedLong = Opaque.Value(long.MinValue);
            Assert.Equal(long.MinValue, (long)boxedLong, "unboxed long");
        }

        private static void StructIsCopied()
        {
            var point = new Point { X = 1, Y = 2 };
            object boxed = point;
            point.X = 100;
            Assert.Equal(1, ((Point)boxed).X, "the box keeps the value at boxing time");
            Point unboxed = (Point)boxed;
            unboxed.Y = 50;
            Assert.Equal(2, ((Point)boxed).Y, "changing the unboxed copy leaves the box alone");
        }

        private static void NullableBoxing()
        {
            int? none = Opaque.Value<int?>(null);
            int? five = Opaque.Value<int?>(5);
            object? boxedNone = none;
            object? boxedFive = five;
            Assert.Null(boxedNone, "a null int? boxes to null");
            Assert.Equal(typeof(int), boxedFive!.GetType(), "a non-null int? boxes to a boxed int");
            Assert.Equal((int?)5, (int?)boxedFive, "unbox to int?");
            Assert.Equal((int?)null, (int?)boxedNone, "unbox null to int?");
            Assert.Equal(5, (int)boxedFive, "unbox to int");
        }

        private static void EnumBoxing()
        {
            object boxed = Opaque.Value(Color.Green);
            Assert.Equal(typeof(Color), boxed.GetType(), "GetType of a boxed enum");
            Assert.Equal(Color.Green, (Color)boxed, "unbox to the enum");
            Assert.Equal((byte)2, (byte)boxed, "unbox to the underlying type");
            Assert.Equal("Green", boxed.ToString(), "ToString of a boxed enum");
            Assert.Equal("Red, Blue", (Color.Red | Color.Blue).ToString(), "ToString of a [Flags] combination");
            Assert.Equal("3", ((DayOfWeek)Opaque.Value(3)).ToString("d"), "ToString(\"d\")");
            Assert.Equal("42", ((DayOfWeek)Opaque.Value(42)).ToString(), "ToString of an undefined value");
            Assert.True(Enum.IsDefined(Color.Blue), "Enum.IsDefined(Blue)");
        }

        private static void UnboxToWrongTypeThrows()
        {
            object boxed = Opaque.Value(42);
            Assert.Throws<InvalidCastException>(() => Opaque.Value((long)boxed), "unbox int as long");
            Assert.Throws<InvalidCastException>(() => Opaque.Value((Point)boxed), "unbox int as struct");
            object? nothing = Opaque.Value<object?>(null);
            Assert.Throws<NullReferenceException>(() => Opaque.Value((int)nothing!), "unbox null as int");
        }

        private static void StructThroughInterface()
        {
            ICounter boxed = new Counter();
            boxed.Increment();
            boxed.Increment();
            Assert.Equal(3, boxed.Increment(), "calls through the interface change the box");
            Assert.Equal(3, ((Counter)boxed).Count, "the box's field");
        }

        private static void EqualsAndHashCode()
        {
            object a = Opaque.Value(5);
            object b = Opaque.Value(5);
            Assert.False(ReferenceEquals(a, b), "two boxes are two objects");
            Assert.True(a.Equals(b), "boxed 5 equals boxed 5");
            Assert.False(a.Equals(Opaque.Value(5L)), "boxed int does not equal boxed long");
            Assert.Equal(5.GetHashCode(), a.GetHashCode(), "hash code of a boxed int");
            object p = new Point { X = 3, Y = 4 };
            object q = new Point { X = 3, Y = 4 };
            Assert.True(p.Equals(q), "boxed struct Equals override");
            Assert.Equal(p.GetHashCode(), q.GetHashCode(), "boxed struct GetHashCode override");
        }
    }
}
