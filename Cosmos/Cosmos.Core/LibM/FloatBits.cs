using System;

namespace Cosmos.Core.LibM
{
    /// <summary>IEEE 754 binary64 field access (sign 1, exponent 11 biased by 1023, fraction 52).</summary>
    internal static class FloatBits
    {
        public const int ExponentBias = 1023;
        public const int FractionBits = 52;
        public const ulong SignMask = 0x8000000000000000;
        public const ulong FractionMask = 0x000FFFFFFFFFFFFF;
        public const ulong ExponentMask = 0x7FF0000000000000;

        public static ulong Bits(double x) => BitConverter.DoubleToUInt64Bits(x);

        public static double FromBits(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

        /// <summary>The unbiased exponent field (-1023 for zeros and subnormals, 1024 for infinities and NaNs).</summary>
        public static int Exponent(double x) => (int)((Bits(x) >> FractionBits) & 0x7FF) - ExponentBias;

        public static bool IsNaN(double x) => (Bits(x) & ~SignMask) > ExponentMask;

        public static bool IsInfinity(double x) => (Bits(x) & ~SignMask) == ExponentMask;

        public static bool IsFinite(double x) => (Bits(x) & ExponentMask) != ExponentMask;

        public static bool IsNegative(double x) => (Bits(x) & SignMask) != 0;

        public static double Abs(double x) => FromBits(Bits(x) & ~SignMask);

        public static double CopySign(double magnitude, double sign) => FromBits((Bits(magnitude) & ~SignMask) | (Bits(sign) & SignMask));

        /// <summary>2^n for -1022 &lt;= n &lt;= 1023.</summary>
        public static double PowerOfTwo(int n) => FromBits((ulong)(n + ExponentBias) << FractionBits);

        /// <summary>
        /// x * 2^n, rounded once (the intermediate steps are exact): C's scalbn. Results below
        /// the normal range are scaled in two steps of which only the last rounds.
        /// </summary>
        public static double ScaleB(double x, int n)
        {
            if (n > 1023)
            {
                x *= PowerOfTwo(1023);
                n -= 1023;
                if (n > 1023)
                {
                    x *= PowerOfTwo(1023);
                    n -= 1023;
                    if (n > 1023)
                    {
                        n = 1023;
                    }
                }
            }
            else if (n < -1022)
            {
                // 2^-1022 * 2^53: keeps the intermediate normal so that only the final product rounds.
                x *= PowerOfTwo(-1022 + 53);
                n += 1022 - 53;
                if (n < -1022)
                {
                    x *= PowerOfTwo(-1022 + 53);
                    n += 1022 - 53;
                    if (n < -1022)
                    {
                        n = -1022;
                    }
                }
            }

            return x * PowerOfTwo(n);
        }

        /// <summary>Nearest integer to x, ties to even, for |x| &lt; 2^51.</summary>
        public static double RoundToNearestInteger(double x)
        {
            const double shifter = 6755399441055744.0;    // 1.5 * 2^52: its ulp is 1
            return x >= 0 ? (x + shifter) - shifter : (x - shifter) + shifter;
        }
    }
}
