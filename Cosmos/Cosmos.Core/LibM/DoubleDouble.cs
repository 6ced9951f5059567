namespace Cosmos.Core.LibM
{
    /// <summary>
    /// An unevaluated sum hi + lo of two doubles with |lo| &lt;= ulp(hi)/2: about 106 bits of
    /// precision from plain double arithmetic (Dekker 1971, Knuth TAOCP 4.2.2). No fused
    /// multiply-add: the kernel's instruction-set baseline has none, and calling the C library's
    /// fma from here would be circular.
    /// </summary>
    internal readonly struct DoubleDouble
    {
        // 2^27 + 1: splits a double into two halves of at most 26 significant bits each.
        private const double Splitter = 134217729.0;

        public readonly double Hi;
        public readonly double Lo;

        public DoubleDouble(double hi, double lo)
        {
            Hi = hi;
            Lo = lo;
        }

        public double Value => Hi + Lo;

        public static DoubleDouble FromBits(ulong hi, ulong lo) =>
            new DoubleDouble(System.BitConverter.UInt64BitsToDouble(hi), System.BitConverter.UInt64BitsToDouble(lo));

        /// <summary>a + b exactly, for any a and b (Knuth's TwoSum).</summary>
        public static DoubleDouble TwoSum(double a, double b)
        {
            double sum = a + b;
            double bVirtual = sum - a;
            double error = (a - (sum - bVirtual)) + (b - bVirtual);
            return new DoubleDouble(sum, error);
        }

        /// <summary>a + b exactly, when |a| &gt;= |b| or a is zero.</summary>
        public static DoubleDouble FastTwoSum(double a, double b)
        {
            double sum = a + b;
            return new DoubleDouble(sum, b - (sum - a));
        }

        /// <summary>a * b exactly (Dekker's product), barring overflow and underflow.</summary>
        public static DoubleDouble TwoProduct(double a, double b)
        {
            double product = a * b;
            Split(a, out double aHi, out double aLo);
            Split(b, out double bHi, out double bLo);
            double error = (((aHi * bHi) - product) + (aHi * bLo) + (aLo * bHi)) + (aLo * bLo);
            return new DoubleDouble(product, error);
        }

        public static DoubleDouble operator +(DoubleDouble x, DoubleDouble y)
        {
            DoubleDouble sum = TwoSum(x.Hi, y.Hi);
            return FastTwoSum(sum.Hi, sum.Lo + x.Lo + y.Lo);
        }

        public static DoubleDouble operator -(DoubleDouble x) => new DoubleDouble(-x.Hi, -x.Lo);

        public static DoubleDouble operator *(DoubleDouble x, DoubleDouble y)
        {
            DoubleDouble product = TwoProduct(x.Hi, y.Hi);
            return FastTwoSum(product.Hi, product.Lo + (x.Hi * y.Lo) + (x.Lo * y.Hi));
        }

        public static DoubleDouble operator *(DoubleDouble x, double y)
        {
            DoubleDouble product = TwoProduct(x.Hi, y);
            return FastTwoSum(product.Hi, product.Lo + (x.Lo * y));
        }

        private static void Split(double a, out double hi, out double lo)
        {
            double t = Splitter * a;
            hi = t - (t - a);
            lo = a - hi;
        }
    }
}
