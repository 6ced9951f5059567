using System;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// Exceptions the CPU raises and the runtime turns into managed ones: null dereferences
    /// (page fault in the null page) on loads, stores, calls and array accesses, including the
    /// faults that happen inside runtime helpers (write barrier, interface dispatch stub), integer
    /// division by zero (#DE), and the overflow checks of <c>checked</c>.
    /// </summary>
    internal static class HardwareExceptionChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("hardware.null-field-load", NullFieldLoad);
            tests.Add("hardware.null-field-store", NullFieldStore);
            tests.Add("hardware.null-reference-store-through-write-barrier", NullReferenceStoreThroughWriteBarrier);
            tests.Add("hardware.null-virtual-call", NullVirtualCall);
            tests.Add("hardware.null-interface-call", NullInterfaceCall);
            tests.Add("hardware.null-array-access-and-length", NullArrayAccessAndLength);
            tests.Add("hardware.null-string-and-delegate", NullStringAndDelegate);
            tests.Add("hardware.null-reference-message", NullReferenceMessage);
            tests.Add("hardware.divide-by-zero", DivideByZero);
            tests.Add("hardware.min-value-divided-by-minus-one-overflows", MinValueDividedByMinusOneOverflows);
            tests.Add("hardware.checked-arithmetic-overflows", CheckedArithmeticOverflows);
            tests.Add("hardware.checked-conversions-overflow", CheckedConversionsOverflow);
            tests.Add("hardware.fault-inside-catch-and-finally", FaultInsideCatchAndFinally);
            tests.Add("hardware.fault-inside-filter-counts-as-false", FaultInsideFilterCountsAsFalse);
            tests.Add("hardware.hundred-faults-in-a-row", HundredFaultsInARow);
        }

        private class Holder
        {
            public int Number = 1;
            public long Wide = 2;
            public object? Reference;

            public virtual int Virtual() => Number;
        }

        private struct WithReferences
        {
            public string First;
            public object Second;
            public int Number;
        }

        private sealed class StructHolder
        {
            public WithReferences Value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StoreStruct(StructHolder holder, WithReferences value) => holder.Value = value;

        private interface IValue
        {
            int Get();
        }

        private static Holder? NullHolder => Opaque.Value<Holder?>(null);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int LoadNumber(Holder holder) => holder.Number;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StoreWide(Holder holder, long value) => holder.Wide = value;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StoreReference(Holder holder, object value) => holder.Reference = value;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CallVirtual(Holder holder) => holder.Virtual();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CallInterface(IValue value) => value.Get();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Divide(int dividend, int divisor) => dividend / divisor;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long Remainder(long dividend, long divisor) => dividend % divisor;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static uint DivideUnsigned(uint dividend, uint divisor) => dividend / divisor;

        private static void NullFieldLoad()
        {
            Assert.Throws<NullReferenceException>(() => LoadNumber(NullHolder!), "load of an int field");
            Assert.Throws<NullReferenceException>(() => Opaque.Value(NullHolder!.Wide), "load of a long field");
            Assert.Throws<NullReferenceException>(() => Opaque.Value(NullHolder!.Reference), "load of a reference field");
        }

        private static void NullFieldStore()
        {
            Assert.Throws<NullReferenceException>(() => StoreWide(NullHolder!, 5), "store to a long field");
            Assert.Throws<NullReferenceException>(() => NullHolder!.Number = 3, "store to an int field");
        }

        private static void NullReferenceStoreThroughWriteBarrier()
        {
            Assert.Throws<NullReferenceException>(() => StoreReference(NullHolder!, "value"), "reference store into a null object");
            object[]? array = Opaque.Value<object[]?>(null);
            Assert.Throws<NullReferenceException>(() => array![0] = "value", "reference store into a null array");
            var withReferences = new WithReferences { First = "a", Second = new object(), Number = 3 };
            Assert.Throws<NullReferenceException>(() => StoreStruct(Opaque.Value<StructHolder?>(null)!, withReferences), "struct with references stored into a null object");
            WithReferences[]? structs = Opaque.Value<WithReferences[]?>(null);
            Assert.Throws<NullReferenceException>(() => structs![0] = withReferences, "struct with references stored into a null array");
        }

        private static void NullVirtualCall()
        {
            Assert.Throws<NullReferenceException>(() => CallVirtual(NullHolder!), "virtual call on null");
            Assert.Throws<NullReferenceException>(() => Opaque.Value(NullHolder!.ToString()), "ToString on null");
            Assert.Throws<NullReferenceException>(() => Opaque.Value(NullHolder!.GetHashCode()), "GetHashCode on null");
        }

        private static void NullInterfaceCall()
        {
            IValue? value = Opaque.Value<IValue?>(null);
            // Twice: the first call goes through the initial dispatch stub, later ones through the cache.
            Assert.Throws<NullReferenceException>(() => CallInterface(value!), "interface call on null");
            Assert.Throws<NullReferenceException>(() => CallInterface(value!), "interface call on null, again");
            IDisposable? disposable = Opaque.Value<IDisposable?>(null);
            Assert.Throws<NullReferenceException>(() => disposable!.Dispose(), "IDisposable.Dispose on null");
        }

        private static void NullArrayAccessAndLength()
        {
            int[]? array = Opaque.Value<int[]?>(null);
            Assert.Throws<NullReferenceException>(() => Opaque.Value(array![0]), "element load");
            Assert.Throws<NullReferenceException>(() => array![1] = 2, "element store");
            Assert.Throws<NullReferenceException>(() => Opaque.Value(array!.Length), "Length");
            int[,]? grid = Opaque.Value<int[,]?>(null);
            Assert.Throws<NullReferenceException>(() => Opaque.Value(grid![0, 0]), "multi-dimensional element load");
        }

        private static void NullStringAndDelegate()
        {
            string? text = Opaque.Value<string?>(null);
            Assert.Throws<NullReferenceException>(() => Opaque.Value(text!.Length), "string Length");
            Assert.Throws<NullReferenceException>(() => Opaque.Value(text![0]), "string indexer");
            Func<int>? function = Opaque.Value<Func<int>?>(null);
            Assert.Throws<NullReferenceException>(() => Opaque.Value(function!()), "invoking a null delegate");
        }

        private static void NullReferenceMessage()
        {
            NullReferenceException e = Assert.Throws<NullReferenceException>(() => LoadNumber(NullHolder!), "null load");
            Assert.Equal("Object reference not set to an instance of an object.", e.Message, "message");
            Assert.Contains("LoadNumber", e.StackTrace, "the faulting method is the top of the stack trace");
        }

        private static void DivideByZero()
        {
            int zero = Opaque.Value(0);
            DivideByZeroException e = Assert.Throws<DivideByZeroException>(() => Divide(7, zero), "int division");
            Assert.Equal("Attempted to divide by zero.", e.Message, "message");
            Assert.Throws<DivideByZeroException>(() => Remainder(7, zero), "long remainder");
            Assert.Throws<DivideByZeroException>(() => DivideUnsigned(7, (uint)zero), "uint division");
            Assert.Throws<DivideByZeroException>(() => Opaque.Value(Opaque.Value(10L) / zero), "inline long division");
            Assert.Equal(3, Divide(7, Opaque.Value(2)), "division still works afterwards");
            Assert.BitEqual(double.PositiveInfinity, 1.0 / Opaque.Value(0.0), "floating-point division by zero does not throw");
        }

        private static void MinValueDividedByMinusOneOverflows()
        {
            int minusOne = Opaque.Value(-1);
            Assert.Throws<OverflowException>(() => Divide(int.MinValue, minusOne), "int.MinValue / -1");
            Assert.Throws<OverflowException>(() => Remainder(long.MinValue, minusOne), "long.MinValue % -1");
            Assert.Equal(-int.MaxValue, Divide(int.MaxValue, minusOne), "int.MaxValue / -1 is fine");
        }

        private static void CheckedArithmeticOverflows()
        {
            int big = Opaque.Value(int.MaxValue);
            Assert.Throws<OverflowException>(() => Opaque.Value(checked(big + 1)), "checked int addition");
            Assert.Throws<OverflowException>(() => Opaque.Value(checked(-big - 2)), "checked int subtraction");
            Assert.Throws<OverflowException>(() => Opaque.Value(checked(big * 2)), "checked int multiplication");
            long bigLong = Opaque.Value(long.MaxValue);
            Assert.Throws<OverflowException>(() => Opaque.Value(checked(bigLong * 3)), "checked long multiplication");
            uint small = Opaque.Value(0u);
            Assert.Throws<OverflowException>(() => Opaque.Value(checked(small - 1)), "checked uint subtraction");
            Assert.Equal(int.MinValue, unchecked(big + 1), "unchecked addition wraps");
        }

        private static void CheckedConversionsOverflow()
        {
            Assert.Throws<OverflowException>(() => Opaque.Value(checked((byte)Opaque.Value(300))), "checked (byte)300");
            Assert.Throws<OverflowException>(() => Opaque.Value(checked((int)Opaque.Value(1e10))), "checked (int)1e10");
            Assert.Throws<OverflowException>(() => Opaque.Value(checked((uint)Opaque.Value(-1))), "checked (uint)-1");
            Assert.Throws<OverflowException>(() => Opaque.Value(checked((long)Opaque.Value(double.NaN))), "checked (long)NaN");
            Assert.Throws<OverflowException>(() => Opaque.Value(checked((ulong)Opaque.Value(-1L))), "checked (ulong)-1L");
            Assert.Equal(255, checked((int)Opaque.Value((byte)255)), "a widening checked conversion");
        }

        private static void FaultInsideCatchAndFinally()
        {
            var log = new EventLog();
            try
            {
                try
                {
                    throw new InvalidOperationException("first");
                }
                catch (InvalidOperationException)
                {
                    log.Add("catch");
                    LoadNumber(NullHolder!);
                }
            }
            catch (NullReferenceException)
            {
                log.Add("nre-from-catch");
            }

            try
            {
                try
                {
                    log.Add("try");
                }
                finally
                {
                    Divide(1, Opaque.Value(0));
                }
            }
            catch (DivideByZeroException)
            {
                log.Add("div-from-finally");
            }

            Assert.Equal("catch,nre-from-catch,try,div-from-finally", log.ToString(), "events");
        }

        private static void FaultInsideFilterCountsAsFalse()
        {
            string handler = "none";
            try
            {
                try
                {
                    throw new FormatException("original");
                }
                catch (FormatException) when (LoadNumber(NullHolder!) == 1)
                {
                    handler = "filter";
                }
            }
            catch (FormatException e)
            {
                handler = "outer:" + e.Message;
            }

            Assert.Equal("outer:original", handler, "a fault in a filter is swallowed");
        }

        private static void HundredFaultsInARow()
        {
            int caught = 0;
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    if ((i & 1) == 0)
                    {
                        LoadNumber(NullHolder!);
                    }
                    else
                    {
                        Divide(i, Opaque.Value(0));
                    }
                }
                catch (NullReferenceException)
                {
                    caught++;
                }
                catch (DivideByZeroException)
                {
                    caught += 1000;
                }
            }

            Assert.Equal(50 + 50000, caught, "50 NullReferenceExceptions and 50 DivideByZeroExceptions");
        }
    }
}
