namespace Cosmos.Core.LibM
{
    /// <summary>
    /// trunc, floor, ceil, modf and fmod by manipulating the representation: every result is
    /// exact, and signed zeros, infinities and NaNs come out as C99 Annex F (F.10.6, F.10.7.1) says.
    /// </summary>
    internal static class RoundingFunctions
    {
        public static double Trunc(double x)
        {
            int exponent = FloatBits.Exponent(x);
            if (exponent >= FloatBits.FractionBits)
            {
                return FloatBits.IsNaN(x) ? x + x : x;      // already integral or infinite; a NaN comes back quiet
            }

            ulong bits = FloatBits.Bits(x);
            if (exponent < 0)
            {
                return FloatBits.FromBits(bits & FloatBits.SignMask);     // |x| < 1: a zero of x's sign
            }

            ulong fraction = FloatBits.FractionMask >> exponent;
            return FloatBits.FromBits(bits & ~fraction);
        }

        public static double Floor(double x)
        {
            double truncated = Trunc(x);
            // Below zero, truncation went up; |x| < 2^52 here, so subtracting one is exact.
            return x < truncated ? truncated - 1.0 : truncated;
        }

        public static double Ceil(double x)
        {
            double truncated = Trunc(x);
            // ceil(-0.5) is -0: Trunc keeps the sign, and only a positive x moves up.
            return x > truncated ? truncated + 1.0 : truncated;
        }

        /// <summary>Splits x into integral and fractional parts, both with x's sign.</summary>
        public static double Modf(double x, out double integral)
        {
            if (FloatBits.IsNaN(x))
            {
                integral = x;
                return x;
            }

            integral = Trunc(x);
            if (FloatBits.IsInfinity(x))
            {
                return FloatBits.CopySign(0.0, x);
            }

            return FloatBits.CopySign(x - integral, x);
        }

        /// <summary>
        /// x - n*y with n = trunc(x/y), computed exactly: long division of the significands, one
        /// bit of the quotient per step (the result is always representable).
        /// </summary>
        public static double Fmod(double x, double y)
        {
            if (FloatBits.IsNaN(x) || FloatBits.IsNaN(y) || FloatBits.IsInfinity(x) || y == 0)
            {
                return double.NaN;
            }

            double absX = FloatBits.Abs(x), absY = FloatBits.Abs(y);
            if (FloatBits.IsInfinity(y) || absX < absY)
            {
                return x;
            }

            if (absX == absY)
            {
                return FloatBits.CopySign(0.0, x);
            }

            ulong dividend = Significand(absX, out int dividendExponent);
            ulong divisor = Significand(absY, out int divisorExponent);
            for (int step = dividendExponent - divisorExponent; step > 0; step--)
            {
                if (dividend >= divisor)
                {
                    dividend -= divisor;
                }

                dividend <<= 1;
            }

            if (dividend >= divisor)
            {
                dividend -= divisor;
            }

            if (dividend == 0)
            {
                return FloatBits.CopySign(0.0, x);
            }

            // dividend < divisor < 2^53 and a multiple of y's last place: exact as a double.
            return FloatBits.CopySign(FloatBits.ScaleB(dividend, divisorExponent), x);
        }

        /// <summary>value = significand * 2^exponent with the significand normalised to 53 bits (bit 52 set).</summary>
        private static ulong Significand(double value, out int exponent)
        {
            ulong bits = FloatBits.Bits(value);
            int biased = (int)(bits >> FloatBits.FractionBits);
            ulong significand = bits & FloatBits.FractionMask;
            if (biased == 0)
            {
                exponent = 1 - FloatBits.ExponentBias - FloatBits.FractionBits;
                while ((significand & (1UL << FloatBits.FractionBits)) == 0)
                {
                    significand <<= 1;
                    exponent--;
                }

                return significand;
            }

            exponent = biased - FloatBits.ExponentBias - FloatBits.FractionBits;
            return significand | (1UL << FloatBits.FractionBits);
        }
    }
}
