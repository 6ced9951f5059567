using System;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// System.Math on the C library functions the kernel supplies (ceil, floor, pow, sin, cos,
    /// fmod, ...): IEEE special values bit-exact (signed zeros, NaN, infinities), exact results
    /// where the result is representable, and at most one unit in the last place elsewhere.
    /// </summary>
    internal static class MathChecks
    {
        private const double Pi = Math.PI;

        public static void Register(TestRunner tests)
        {
            tests.Add("math.sqrt", Sqrt);
            tests.Add("math.pow-exact-and-special-values", PowExactAndSpecialValues);
            tests.Add("math.pow-accuracy", PowAccuracy);
            tests.Add("math.floor-and-ceiling", FloorAndCeiling);
            tests.Add("math.round-and-truncate", RoundAndTruncate);
            tests.Add("math.sin-and-cos", SinAndCos);
            tests.Add("math.sin-and-cos-of-huge-arguments", SinAndCosOfHugeArguments);
            tests.Add("math.exp-and-log", ExpAndLog);
            tests.Add("math.remainder-operator", RemainderOperator);
            tests.Add("math.abs-max-min", AbsMaxMin);
        }

        private static double V(double value) => Opaque.Value(value);

        /// <summary>Fails unless <paramref name="actual"/> is within <paramref name="ulps"/> units in the last place of <paramref name="expected"/>.</summary>
        private static void Ulps(double expected, double actual, int ulps, string what)
        {
            long a = BitConverter.DoubleToInt64Bits(expected), b = BitConverter.DoubleToInt64Bits(actual);
            bool sameSign = (a < 0) == (b < 0);
            long distance = sameSign ? Math.Abs(a - b) : long.MaxValue;
            if (double.IsNaN(expected) || double.IsNaN(actual) || distance > ulps)
            {
                Assert.Fail($"{what}: expected {expected:R} within {ulps} ulp, got {actual:R} ({(sameSign ? distance.ToString() : "opposite sign")} ulp away)");
            }
        }

        private static void Sqrt()
        {
            Assert.BitEqual(1.4142135623730951, Math.Sqrt(V(2)), "Sqrt(2)");
            Assert.BitEqual(12.0, Math.Sqrt(V(144)), "Sqrt(144)");
            Assert.BitEqual(double.NaN, Math.Sqrt(V(-1)), "Sqrt(-1)");
            Assert.BitEqual(-0.0, Math.Sqrt(V(-0.0)), "Sqrt(-0)");
            Assert.BitEqual(double.PositiveInfinity, Math.Sqrt(V(double.PositiveInfinity)), "Sqrt(+inf)");
            Assert.BitEqual(2.2227587494850775E-162, Math.Sqrt(V(double.Epsilon)), "Sqrt of the smallest subnormal");
            Assert.Equal(1.7320508f, MathF.Sqrt(Opaque.Value(3f)), "MathF.Sqrt(3)");
        }

        private static void PowExactAndSpecialValues()
        {
            Assert.BitEqual(1024.0, Math.Pow(V(2), V(10)), "Pow(2, 10)");
            Assert.BitEqual(3486784401.0, Math.Pow(V(3), V(20)), "Pow(3, 20)");
            Assert.BitEqual(1e15, Math.Pow(V(10), V(15)), "Pow(10, 15)");
            Assert.BitEqual(2.25, Math.Pow(V(1.5), V(2)), "Pow(1.5, 2)");
            Assert.BitEqual(0.5, Math.Pow(V(2), V(-1)), "Pow(2, -1)");
            Assert.BitEqual(-8.0, Math.Pow(V(-2), V(3)), "Pow(-2, 3)");
            Assert.BitEqual(4.0, Math.Pow(V(-2), V(2)), "Pow(-2, 2)");
            Assert.BitEqual(double.NaN, Math.Pow(V(-8), V(1.0 / 3)), "Pow(-8, 1/3)");
            Assert.BitEqual(1.0, Math.Pow(V(0), V(0)), "Pow(0, 0)");
            Assert.BitEqual(1.0, Math.Pow(V(double.NaN), V(0)), "Pow(NaN, 0)");
            Assert.BitEqual(1.0, Math.Pow(V(1), V(double.NaN)), "Pow(1, NaN)");
            Assert.BitEqual(double.NaN, Math.Pow(V(2), V(double.NaN)), "Pow(2, NaN)");
            Assert.BitEqual(1.0, Math.Pow(V(-1), V(double.PositiveInfinity)), "Pow(-1, +inf)");
            Assert.BitEqual(0.0, Math.Pow(V(0.5), V(double.PositiveInfinity)), "Pow(0.5, +inf)");
            Assert.BitEqual(double.PositiveInfinity, Math.Pow(V(2), V(double.PositiveInfinity)), "Pow(2, +inf)");
            Assert.BitEqual(0.0, Math.Pow(V(2), V(double.NegativeInfinity)), "Pow(2, -inf)");
            Assert.BitEqual(double.NegativeInfinity, Math.Pow(V(-0.0), V(-1)), "Pow(-0, -1)");
            Assert.BitEqual(-0.0, Math.Pow(V(-0.0), V(3)), "Pow(-0, 3)");
            Assert.BitEqual(0.0, Math.Pow(V(-0.0), V(2)), "Pow(-0, 2)");
            Assert.BitEqual(0.0, Math.Pow(V(double.PositiveInfinity), V(-1)), "Pow(+inf, -1)");
            Assert.BitEqual(double.NegativeInfinity, Math.Pow(V(double.NegativeInfinity), V(3)), "Pow(-inf, 3)");
            Assert.BitEqual(-0.0, Math.Pow(V(double.NegativeInfinity), V(-3)), "Pow(-inf, -3)");
            Assert.BitEqual(double.PositiveInfinity, Math.Pow(V(2), V(1024)), "Pow(2, 1024) overflows");
            Assert.BitEqual(double.Epsilon, Math.Pow(V(2), V(-1074)), "Pow(2, -1074) is the smallest subnormal");
            Assert.BitEqual(0.0, Math.Pow(V(2), V(-1080)), "Pow(2, -1080) underflows");
        }

        private static void PowAccuracy()
        {
            Ulps(1.4142135623730951, Math.Pow(V(2), V(0.5)), 1, "Pow(2, 0.5)");
            Ulps(0.01, Math.Pow(V(10), V(-2)), 1, "Pow(10, -2)");
            Ulps(2.7182816941320818, Math.Pow(V(1.0000001), V(1e7)), 1, "Pow(1.0000001, 1e7)");
            Ulps(1.792789962520997, Math.Pow(V(7), V(0.3)), 1, "Pow(7, 0.3)");
            Ulps(56250438648419.484, Math.Pow(V(0.9), V(-300.5)), 1, "Pow(0.9, -300.5)");
            Ulps(0.5029733718731741, Math.Pow(V(2.5), V(-0.75)), 1, "Pow(2.5, -0.75)");
            Ulps(1.0142320547349667e+304, Math.Pow(V(Math.E), V(700)), 1, "Pow(Math.E, 700)");
            Ulps(2.1095373229726e-154, Math.Pow(V(2), V(-510.5)), 1, "Pow(2, -510.5)");
        }

        private static void FloorAndCeiling()
        {
            Assert.BitEqual(-2.0, Math.Floor(V(-1.5)), "Floor(-1.5)");
            Assert.BitEqual(1.0, Math.Floor(V(1.5)), "Floor(1.5)");
            Assert.BitEqual(-1.0, Math.Floor(V(-0.5)), "Floor(-0.5)");
            Assert.BitEqual(0.0, Math.Floor(V(0.5)), "Floor(0.5)");
            Assert.BitEqual(-0.0, Math.Floor(V(-0.0)), "Floor(-0)");
            Assert.BitEqual(-1.0, Math.Floor(V(-double.Epsilon)), "Floor(-epsilon)");
            Assert.BitEqual(-1.0, Math.Ceiling(V(-1.5)), "Ceiling(-1.5)");
            Assert.BitEqual(2.0, Math.Ceiling(V(1.5)), "Ceiling(1.5)");
            Assert.BitEqual(-0.0, Math.Ceiling(V(-0.5)), "Ceiling(-0.5) is -0");
            Assert.BitEqual(1.0, Math.Ceiling(V(double.Epsilon)), "Ceiling(epsilon)");
            Assert.BitEqual(3.0, Math.Ceiling(V(2.0000000000000004)), "Ceiling(2 + ulp)");
            Assert.BitEqual(4503599627370497.0, Math.Ceiling(V(4503599627370497.0)), "Ceiling(2^52 + 1)");
            Assert.BitEqual(1e300, Math.Ceiling(V(1e300)), "Ceiling(1e300)");
            Assert.BitEqual(double.NaN, Math.Ceiling(V(double.NaN)), "Ceiling(NaN)");
            Assert.BitEqual(double.NegativeInfinity, Math.Ceiling(V(double.NegativeInfinity)), "Ceiling(-inf)");
            Assert.BitEqual(double.PositiveInfinity, Math.Floor(V(double.PositiveInfinity)), "Floor(+inf)");
            Assert.Equal(-3f, MathF.Floor(Opaque.Value(-2.5f)), "MathF.Floor(-2.5)");
            Assert.Equal(-2f, MathF.Ceiling(Opaque.Value(-2.5f)), "MathF.Ceiling(-2.5)");
        }

        private static void RoundAndTruncate()
        {
            Assert.BitEqual(2.0, Math.Round(V(2.5)), "Round(2.5) to even");
            Assert.BitEqual(4.0, Math.Round(V(3.5)), "Round(3.5) to even");
            Assert.BitEqual(-2.0, Math.Round(V(-2.5)), "Round(-2.5) to even");
            Assert.BitEqual(-0.0, Math.Round(V(-0.4)), "Round(-0.4) is -0");
            Assert.BitEqual(0.0, Math.Round(V(0.49999999999999994)), "Round(0.49999999999999994)");
            Assert.BitEqual(3.0, Math.Round(V(2.5), MidpointRounding.AwayFromZero), "Round(2.5, AwayFromZero)");
            Assert.BitEqual(-3.0, Math.Round(V(-2.5), MidpointRounding.AwayFromZero), "Round(-2.5, AwayFromZero)");
            Assert.BitEqual(2.0, Math.Round(V(2.7), MidpointRounding.ToZero), "Round(2.7, ToZero)");
            Assert.BitEqual(1.23, Math.Round(V(1.2345), 2), "Round(1.2345, 2)");
            Assert.BitEqual(4503599627370497.0, Math.Round(V(4503599627370497.0)), "Round(2^52 + 1)");
            Assert.BitEqual(-2.0, Math.Truncate(V(-2.7)), "Truncate(-2.7)");
            Assert.BitEqual(2.0, Math.Truncate(V(2.7)), "Truncate(2.7)");
            Assert.BitEqual(-0.0, Math.Truncate(V(-0.5)), "Truncate(-0.5) is -0");
            Assert.BitEqual(double.NegativeInfinity, Math.Truncate(V(double.NegativeInfinity)), "Truncate(-inf)");
            Assert.Equal(3f, MathF.Round(Opaque.Value(2.5f), MidpointRounding.AwayFromZero), "MathF.Round(2.5, AwayFromZero)");
            Assert.Equal(2m, Math.Round(Opaque.Value(2.5m)), "decimal Round(2.5) to even");
        }

        private static void SinAndCos()
        {
            Assert.BitEqual(0.0, Math.Sin(V(0)), "Sin(0)");
            Assert.BitEqual(-0.0, Math.Sin(V(-0.0)), "Sin(-0)");
            Assert.BitEqual(1.0, Math.Cos(V(0)), "Cos(0)");
            Assert.BitEqual(1.0, Math.Sin(V(Pi / 2)), "Sin(pi/2)");
            Assert.BitEqual(-1.0, Math.Cos(V(Pi)), "Cos(pi)");
            Assert.BitEqual(1e-300, Math.Sin(V(1e-300)), "Sin(1e-300)");
            Assert.BitEqual(1.0, Math.Cos(V(1e-300)), "Cos(1e-300)");
            Ulps(1.2246467991473532e-16, Math.Sin(V(Pi)), 1, "Sin(pi)");
            Ulps(0.49999999999999994, Math.Sin(V(Pi / 6)), 1, "Sin(pi/6)");
            Ulps(0.5000000000000001, Math.Cos(V(Pi / 3)), 1, "Cos(pi/3)");
            Ulps(0.479425538604203, Math.Sin(V(0.5)), 1, "Sin(0.5)");
            Ulps(0.8775825618903728, Math.Cos(V(0.5)), 1, "Cos(0.5)");
            Ulps(-0.1411200080598672, Math.Sin(V(-3)), 1, "Sin(-3)");
            Ulps(-0.5063656411097588, Math.Sin(V(100)), 1, "Sin(100)");
            Ulps(0.8623188722876839, Math.Cos(V(100)), 1, "Cos(100)");
            Assert.BitEqual(double.NaN, Math.Sin(V(double.PositiveInfinity)), "Sin(+inf)");
            Assert.BitEqual(double.NaN, Math.Cos(V(double.NegativeInfinity)), "Cos(-inf)");
            Assert.BitEqual(double.NaN, Math.Cos(V(double.NaN)), "Cos(NaN)");
            Assert.Near(0.0f, MathF.Sin(Opaque.Value(MathF.PI)), 1e-6, "MathF.Sin(pi)");
        }

        private static void SinAndCosOfHugeArguments()
        {
            // Needs the full argument reduction (2/pi to many hundred bits), not a 66-bit pi.
            Ulps(0.9367521275331447, Math.Cos(V(1e6)), 1, "Cos(1e6)");
            Ulps(-0.8306492176372546, Math.Sin(V(1152921504606846976.0)), 1, "Sin(2^60)");
            Ulps(-0.5567960822766417, Math.Cos(V(1152921504606846976.0)), 1, "Cos(2^60)");
            Ulps(-0.8522008497671888, Math.Sin(V(1e22)), 1, "Sin(1e22)");
            Ulps(0.523214785395139, Math.Cos(V(1e22)), 1, "Cos(1e22)");
        }

        private static void ExpAndLog()
        {
            Assert.BitEqual(1.0, Math.Exp(V(0)), "Exp(0)");
            Ulps(2.718281828459045, Math.Exp(V(1)), 1, "Exp(1)");
            Ulps(0.36787944117144233, Math.Exp(V(-1)), 1, "Exp(-1)");
            Ulps(1.7928227943945155e+308, Math.Exp(V(709.78)), 1, "Exp(709.78)");
            Assert.BitEqual(double.PositiveInfinity, Math.Exp(V(710)), "Exp(710) overflows");
            Assert.BitEqual(0.0, Math.Exp(V(double.NegativeInfinity)), "Exp(-inf)");
            Assert.BitEqual(0.0, Math.Log(V(1)), "Log(1)");
            Ulps(2.302585092994046, Math.Log(V(10)), 1, "Log(10)");
            Ulps(0.6931471805599453, Math.Log(V(2)), 1, "Log(2)");
            Ulps(-713.8013788281542, Math.Log(V(1e-310)), 1, "Log of a subnormal");
            Assert.BitEqual(double.NegativeInfinity, Math.Log(V(0)), "Log(0)");
            Assert.BitEqual(double.NaN, Math.Log(V(-1)), "Log(-1)");
            Assert.BitEqual(3.0, Math.Log10(V(1000)), "Log10(1000)");
            Assert.BitEqual(10.0, Math.Log2(V(1024)), "Log2(1024)");
        }

        private static void RemainderOperator()
        {
            Assert.BitEqual(1.5, V(5.5) % V(2), "5.5 % 2");
            Assert.BitEqual(-1.5, V(-5.5) % V(2), "-5.5 % 2");
            Assert.BitEqual(2.0, V(5) % V(-3), "5 % -3");
            Assert.BitEqual(-0.0, V(-4) % V(2), "-4 % 2 is -0");
            Assert.BitEqual(double.NaN, V(1) % V(0), "1 % 0");
            Assert.BitEqual(double.NaN, V(double.PositiveInfinity) % V(2), "inf % 2");
            Assert.BitEqual(2.0, V(2) % V(double.PositiveInfinity), "2 % inf");
            Assert.BitEqual(1.765761626199355, V(1e300) % V(3.7), "1e300 % 3.7 is exact");
            Assert.Equal(1.5f, Opaque.Value(5.5f) % Opaque.Value(2f), "5.5f % 2f");
        }

        private static void AbsMaxMin()
        {
            Assert.Equal(5, Math.Abs(Opaque.Value(-5)), "Abs(-5)");
            Assert.BitEqual(0.0, Math.Abs(V(-0.0)), "Abs(-0)");
            Assert.BitEqual(double.PositiveInfinity, Math.Abs(V(double.NegativeInfinity)), "Abs(-inf)");
            Assert.Throws<OverflowException>(() => Math.Abs(Opaque.Value(int.MinValue)), "Abs(int.MinValue)");
            Assert.Equal(long.MaxValue, Math.Abs(Opaque.Value(-long.MaxValue)), "Abs(-long.MaxValue)");
            Assert.Equal(2, Math.Max(Opaque.Value(1), 2), "Max(1, 2)");
            Assert.Equal(-7L, Math.Min(Opaque.Value(-7L), 3L), "Min(-7, 3)");
            Assert.BitEqual(double.NaN, Math.Max(V(double.NaN), V(1)), "Max(NaN, 1)");
            Assert.BitEqual(double.NaN, Math.Min(V(1), V(double.NaN)), "Min(1, NaN)");
            Assert.BitEqual(0.0, Math.Max(V(-0.0), V(0.0)), "Max(-0, +0) is +0");
            Assert.BitEqual(-0.0, Math.Min(V(0.0), V(-0.0)), "Min(+0, -0) is -0");
            Assert.Equal(10, Math.Clamp(Opaque.Value(15), 0, 10), "Clamp");
            Assert.Equal(-1, Math.Sign(V(-3.5)), "Sign");
        }
    }
}
