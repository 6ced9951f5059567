using System;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// Static constructors: beforefieldinit types (field initialisers only: ILC may run or
    /// preinitialise them eagerly) and precise ones (an explicit static constructor runs exactly
    /// at first access), including a throwing one and generic ones.
    /// </summary>
    internal static class StaticConstructorChecks
    {
        private static readonly EventLog Log = new EventLog();

        public static void Register(TestRunner tests)
        {
            tests.Add("cctor.beforefieldinit-field-initialisers", BeforeFieldInitInitialisers);
            tests.Add("cctor.preinitialised-data", PreinitialisedData);
            tests.Add("cctor.precise-runs-at-first-access-once", PreciseRunsAtFirstAccessOnce);
            tests.Add("cctor.precise-triggered-by-static-method", PreciseTriggeredByStaticMethod);
            tests.Add("cctor.throwing-becomes-type-initialization-exception", ThrowingBecomesTypeInitializationException);
            tests.Add("cctor.generic-type-runs-per-instantiation", GenericTypeRunsPerInstantiation);
            tests.Add("cctor.dependent-static-constructors", DependentStaticConstructors);
            tests.Add("cctor.eager-runs-at-module-initialisation", EagerRunsAtModuleInitialisation);
        }

        private static class FieldInitialisers
        {
            public static readonly int Computed = Opaque.Value(6) * 7;
            public static readonly string Text = "initialised " + Opaque.Value("text");
            public static int Mutable = 5;
        }

        private static class Tables
        {
            public static readonly int[] Primes = { 2, 3, 5, 7, 11, 13 };
            public static readonly string Greeting = "hello";
            public static readonly (int, string) Pair = (1, "one");
        }

        private static class Precise
        {
            public static readonly int Value;

            static Precise()
            {
                Log.Add("Precise.cctor");
                Value = 123;
            }
        }

        private static class PreciseWithMethod
        {
            private static readonly int Seed;

            static PreciseWithMethod()
            {
                Log.Add("PreciseWithMethod.cctor");
                Seed = 10;
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static int Next() => Seed + 1;
        }

        private static class Throwing
        {
            public static readonly int Value;

            static Throwing()
            {
                if (Opaque.Value(true))
                {
                    throw new InvalidOperationException("static constructor failed on purpose");
                }

                Value = 1;
            }
        }

        private static class PerInstantiation<T>
        {
            public static readonly string Made;

            static PerInstantiation()
            {
                Log.Add("PerInstantiation<" + (typeof(T) == typeof(int) ? "int" : "string") + ">.cctor");
                Made = typeof(T) == typeof(int) ? "int" : "string";
            }
        }

        private static class First
        {
            public static readonly int Value;

            static First()
            {
                Value = Second.Value + 1;
            }
        }

        private static class Second
        {
            public static readonly int Value;

            static Second()
            {
                Value = 41;
            }
        }

        /// <summary>
        /// Marked for eager construction: ILC lists its static constructor in the module's eager
        /// class constructor section, which module initialisation runs before any kernel code.
        /// Reading the time stamp counter keeps ILC from running it at compile time instead.
        /// </summary>
        [EagerStaticClassConstruction]
        private static class Eager
        {
            public static readonly ulong ConstructedAt = Cosmos.Core.Native.ReadTimestampCounter();
        }

        private static class Lazy
        {
            public static readonly ulong ConstructedAt;

            static Lazy()
            {
                ConstructedAt = Cosmos.Core.Native.ReadTimestampCounter();
            }
        }

        private static void EagerRunsAtModuleInitialisation()
        {
            ulong kernelStarted = KernelStart.TimestampCounter;
            Assert.True(kernelStarted != 0, "the kernel recorded when it started");
            ulong eager = Eager.ConstructedAt, lazy = Lazy.ConstructedAt;
            Assert.True(eager != 0 && eager < kernelStarted, $"the eager constructor ran before the kernel started (TSC {eager} vs {kernelStarted})");
            Assert.True(lazy > kernelStarted, $"the precise constructor ran after the kernel started (TSC {lazy} vs {kernelStarted})");
        }

        private static void BeforeFieldInitInitialisers()
        {
            Assert.Equal(42, FieldInitialisers.Computed, "computed initialiser");
            Assert.Equal("initialised text", FieldInitialisers.Text, "string initialiser");
            FieldInitialisers.Mutable++;
            Assert.Equal(6, FieldInitialisers.Mutable, "mutable static after ++");
        }

        private static void PreinitialisedData()
        {
            Assert.SequenceEqual(new[] { 2, 3, 5, 7, 11, 13 }, Tables.Primes, "static readonly int[]");
            Assert.Equal("hello", Tables.Greeting, "static readonly string");
            Assert.Equal("one", Tables.Pair.Item2, "static readonly tuple");
            Assert.Same(Tables.Primes, Tables.Primes, "the same array every time");
        }

        private static void PreciseRunsAtFirstAccessOnce()
        {
            Log.Add("before");
            int first = Opaque.Value(Precise.Value);
            Log.Add("between");
            int second = Opaque.Value(Precise.Value);
            Log.Add("after");
            Assert.Equal(123, first, "value at first access");
            Assert.Equal(123, second, "value at second access");
            Assert.Contains("before,Precise.cctor,between,after", Log.ToString(), "event order");
        }

        private static void PreciseTriggeredByStaticMethod()
        {
            Log.Add("calling");
            int next = PreciseWithMethod.Next();
            Assert.Equal(11, next, "Next()");
            Assert.Contains("calling,PreciseWithMethod.cctor", Log.ToString(), "event order");
        }

        private static void ThrowingBecomesTypeInitializationException()
        {
            TypeInitializationException first = Assert.Throws<TypeInitializationException>(() => Opaque.Value(Throwing.Value), "first access");
            Assert.True(first.InnerException is InvalidOperationException,
                "InnerException is the InvalidOperationException (got " + (first.InnerException?.GetType().FullName ?? "null") + ")");
            Assert.Equal("static constructor failed on purpose", first.InnerException!.Message, "inner message");
            TypeInitializationException second = Assert.Throws<TypeInitializationException>(() => Opaque.Value(Throwing.Value), "second access");
            Assert.True(second.InnerException is InvalidOperationException, "the second access reports the same failure");
        }

        private static void GenericTypeRunsPerInstantiation()
        {
            Assert.Equal("int", PerInstantiation<int>.Made, "PerInstantiation<int>");
            Assert.Equal("string", PerInstantiation<string>.Made, "PerInstantiation<string>");
            Assert.Equal("int", PerInstantiation<int>.Made, "PerInstantiation<int> again");
            string log = Log.ToString();
            Assert.Contains("PerInstantiation<int>.cctor", log, "int instantiation's constructor ran");
            Assert.Contains("PerInstantiation<string>.cctor", log, "string instantiation's constructor ran");
            Assert.Equal(log.IndexOf("PerInstantiation<int>.cctor", StringComparison.Ordinal), log.LastIndexOf("PerInstantiation<int>.cctor", StringComparison.Ordinal),
                "the int instantiation's constructor ran once");
        }

        private static void DependentStaticConstructors() => Assert.Equal(42, First.Value, "First.Value = Second.Value + 1");
    }
}
