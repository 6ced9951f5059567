namespace Cosmos.Core.LibM
{
    /// <summary>
    /// sin and cos. The argument is reduced to r in [-pi/4, pi/4] and a quadrant by Payne and
    /// Hanek's method (x * 2/pi using only the bits of 2/pi that matter at x's exponent, 128 bits
    /// of fraction kept), which is exact enough for every double, 1e22 included; then Taylor
    /// polynomials to degree 17 and 18 evaluate sin r and cos r with the low part of r folded in.
    /// Results are within one unit in the last place.
    /// </summary>
    internal static class TrigonometricFunctions
    {
        private const double QuarterPi = 0.78539816339744830962;

        // Below this, sin x rounds to x and cos x to 1.
        private const double TinyArgument = 3.725290298461914E-09;   // 2^-28

        // Taylor coefficients: (-1)^k / (2k+1)! and (-1)^k / (2k)!.
        private const double S3 = -1.0 / 6, S5 = 1.0 / 120, S7 = -1.0 / 5040, S9 = 1.0 / 362880, S11 = -1.0 / 39916800,
            S13 = 1.0 / 6227020800, S15 = -1.0 / 1307674368000, S17 = 1.0 / 355687428096000;

        // -1/6 as a double-double.
        private const ulong MinusOneSixthHi = 0xBFC5555555555555, MinusOneSixthLo = 0xBC65555555555555;

        private const double C4 = 1.0 / 24, C6 = -1.0 / 720, C8 = 1.0 / 40320, C10 = -1.0 / 3628800, C12 = 1.0 / 479001600,
            C14 = -1.0 / 87178291200, C16 = 1.0 / 20922789888000, C18 = -1.0 / 6402373705728000;

        public static double Sin(double x)
        {
            double absX = FloatBits.Abs(x);
            if (!FloatBits.IsFinite(x))
            {
                return x - x;           // NaN for infinities, NaN stays NaN
            }

            if (absX < TinyArgument)
            {
                return x;               // keeps the sign of zero
            }

            if (absX <= QuarterPi)
            {
                return SinKernel(x, 0);
            }

            int quadrant = Reduce(absX, out DoubleDouble r);
            double result = (quadrant & 1) == 0 ? SinKernel(r.Hi, r.Lo) : CosKernel(r.Hi, r.Lo);
            result = (quadrant & 2) == 0 ? result : -result;
            return FloatBits.IsNegative(x) ? -result : result;
        }

        public static double Cos(double x)
        {
            double absX = FloatBits.Abs(x);
            if (!FloatBits.IsFinite(x))
            {
                return x - x;
            }

            if (absX < TinyArgument)
            {
                return 1.0;
            }

            if (absX <= QuarterPi)
            {
                return CosKernel(absX, 0);
            }

            int quadrant = Reduce(absX, out DoubleDouble r);
            switch (quadrant)
            {
                case 0:
                    return CosKernel(r.Hi, r.Lo);
                case 1:
                    return -SinKernel(r.Hi, r.Lo);
                case 2:
                    return -CosKernel(r.Hi, r.Lo);
                default:
                    return SinKernel(r.Hi, r.Lo);
            }
        }

        /// <summary>
        /// sin(x + y) for |x| &lt;= pi/4 and |y| tiny beside x: sin x + y cos x. The cubic term, the
        /// largest after x, is formed in double-double; the rest are below x/40 and fine in double.
        /// </summary>
        private static double SinKernel(double x, double y)
        {
            DoubleDouble square = DoubleDouble.TwoProduct(x, x);
            double z = square.Hi;
            DoubleDouble cube = DoubleDouble.TwoProduct(x, z);
            cube = DoubleDouble.FastTwoSum(cube.Hi, cube.Lo + (x * square.Lo));
            DoubleDouble cubicTerm = cube * DoubleDouble.FromBits(MinusOneSixthHi, MinusOneSixthLo);
            double higher = x * z * z * (S5 + (z * (S7 + (z * (S9 + (z * (S11 + (z * (S13 + (z * (S15 + (z * S17))))))))))));
            DoubleDouble sum = DoubleDouble.FastTwoSum(x, cubicTerm.Hi);
            return sum.Hi + (sum.Lo + cubicTerm.Lo + higher + (y * (1.0 - (0.5 * z))));
        }

        /// <summary>
        /// cos(x + y) for |x| &lt;= pi/4: 1 - x^2/2 + x^4 q(x^2) - x y, where 1 - x^2/2 is formed
        /// so that its rounding error is recovered exactly and added back.
        /// </summary>
        private static double CosKernel(double x, double y)
        {
            DoubleDouble square = DoubleDouble.TwoProduct(x, x);
            double z = square.Hi;
            double halfZ = 0.5 * z;
            double w = 1.0 - halfZ;
            double q = C4 + (z * (C6 + (z * (C8 + (z * (C10 + (z * (C12 + (z * (C14 + (z * (C16 + (z * C18)))))))))))));
            double correction = ((1.0 - w) - halfZ) - (0.5 * square.Lo);
            return w + (correction + ((z * z * q) - (x * y)));
        }

        /// <summary>
        /// For a finite x &gt; pi/4, finds the integer n nearest to x * 2/pi and r = x - n*pi/2
        /// (as a double-double); returns n mod 4.
        /// </summary>
        private static int Reduce(double x, out DoubleDouble r)
        {
            // x = significand * 2^exponent with an integer significand of 53 bits.
            ulong bits = FloatBits.Bits(x);
            ulong significand = (bits & FloatBits.FractionMask) | (1UL << FloatBits.FractionBits);
            int exponent = (int)(bits >> FloatBits.FractionBits) - FloatBits.ExponentBias - FloatBits.FractionBits;

            // Bits of 2/pi before `first` (1-based) multiply the integer significand by a multiple of
            // 4 and cannot change n mod 4 or the fraction, so the 256-bit window starts there.
            int first = exponent - 1 >= 1 ? exponent - 1 : 1;
            System.Span<ulong> window = stackalloc ulong[4];
            for (int i = 0; i < 4; i++)
            {
                window[i] = TwoOverPiBits(first + (64 * i));
            }

            // product = significand * window: 320 bits, product[0] most significant.
            System.Span<ulong> product = stackalloc ulong[5];
            ulong carry = 0;
            for (int i = 3; i >= 0; i--)
            {
                ulong high = System.Math.BigMul(significand, window[i], out ulong low);
                low += carry;
                high += low < carry ? 1UL : 0UL;
                product[i + 1] = low;
                carry = high;
            }

            product[0] = carry;

            // x * 2/pi (mod 4) = product / 2^point: the binary point sits `point` bits from the bottom.
            int point = first + 255 - exponent;
            int quadrant = (int)(BitsAt(product, point, 2) & 3);
            ulong fractionHigh = BitsAt(product, point - 64, 64);
            ulong fractionLow = BitsAt(product, point - 128, 64);

            // Round to the nearest n: a fraction of one half or more counts from the next n, negatively.
            bool negative = (fractionHigh >> 63) != 0;
            if (negative)
            {
                quadrant = (quadrant + 1) & 3;
                fractionLow = ~fractionLow + 1;
                fractionHigh = ~fractionHigh + (fractionLow == 0 ? 1UL : 0UL);
            }

            DoubleDouble fraction = FixedPointToDoubleDouble(fractionHigh, fractionLow);
            if (negative)
            {
                fraction = -fraction;
            }

            r = fraction * DoubleDouble.FromBits(MathTables.HalfPiHi, MathTables.HalfPiLo);
            return quadrant;
        }

        /// <summary>Bits first .. first+63 (1-based, after the binary point) of 2/pi.</summary>
        private static ulong TwoOverPiBits(int first)
        {
            System.ReadOnlySpan<ulong> table = MathTables.TwoOverPi;
            int word = (first - 1) / 64, shift = (first - 1) % 64;
            ulong high = word < table.Length ? table[word] : 0;
            ulong next = word + 1 < table.Length ? table[word + 1] : 0;
            return shift == 0 ? high : (high << shift) | (next >> (64 - shift));
        }

        /// <summary>
        /// <paramref name="count"/> (at most 64) bits of a 320-bit big-endian number, starting at
        /// bit <paramref name="lowest"/> counted from the least significant end.
        /// </summary>
        private static ulong BitsAt(System.Span<ulong> number, int lowest, int count)
        {
            ulong result = 0;
            for (int i = count - 1; i >= 0; i--)
            {
                int bit = lowest + i;
                int word = 4 - (bit / 64);
                result = (result << 1) | ((number[word] >> (bit % 64)) & 1);
            }

            return result;
        }

        /// <summary>The 128-bit binary fraction 0.high low as a double-double.</summary>
        private static DoubleDouble FixedPointToDoubleDouble(ulong high, ulong low)
        {
            if (high == 0 && low == 0)
            {
                return new DoubleDouble(0, 0);
            }

            // Normalise so that the top bit is set, then take 53 bits for hi and the next 64 for lo.
            int shift = 0;
            while ((high >> 63) == 0)
            {
                high = (high << 1) | (low >> 63);
                low <<= 1;
                shift++;
            }

            ulong hiBits = high >> 11;
            ulong loBits = ((high & 0x7FF) << 53) | (low >> 11);
            double hi = FloatBits.ScaleB(hiBits, -53 - shift);
            double lo = FloatBits.ScaleB(loBits, -117 - shift);
            return DoubleDouble.FastTwoSum(hi, lo);
        }
    }
}
