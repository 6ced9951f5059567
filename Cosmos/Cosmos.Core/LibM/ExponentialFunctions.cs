namespace Cosmos.Core.LibM
{
    /// <summary>
    /// exp, log, log2, log10 and pow. All go through two table-driven cores carried out in
    /// double-double arithmetic (about 100 bits): ln of a positive double, and 2^t for a
    /// double-double t. Results are rounded once at the end, so they are within one unit in the
    /// last place (almost always the correctly rounded value), and exact where the exact result
    /// is a double (pow(3, 20), log2(1024), log10(1000)). Special values follow C99 Annex F.
    /// </summary>
    internal static class ExponentialFunctions
    {
        // Beyond these, exp overflows to +inf or underflows to 0 whatever the rounding.
        private const double ExpOverflowThreshold = 709.782712893384;
        private const double ExpUnderflowThreshold = -745.1332191019412;

        private static DoubleDouble Ln2 => DoubleDouble.FromBits(MathTables.Ln2Hi, MathTables.Ln2Lo);

        private static DoubleDouble InverseLn2 => DoubleDouble.FromBits(MathTables.InverseLn2Hi, MathTables.InverseLn2Lo);

        private static DoubleDouble InverseLn10 => DoubleDouble.FromBits(MathTables.InverseLn10Hi, MathTables.InverseLn10Lo);

        public static double Exp(double x)
        {
            if (FloatBits.IsNaN(x))
            {
                return x + x;
            }

            if (x > ExpOverflowThreshold)
            {
                return double.PositiveInfinity;
            }

            if (x < ExpUnderflowThreshold)
            {
                return 0.0;
            }

            // e^x = 2^(x / ln 2), with the quotient kept to double-double precision.
            return Exp2Core(InverseLn2 * x);
        }

        public static double Log(double x)
        {
            if (!IsLogArgumentOrdinary(x, out double special))
            {
                return special;
            }

            return NaturalLogCore(x).Value;
        }

        public static double Log2(double x)
        {
            if (!IsLogArgumentOrdinary(x, out double special))
            {
                return special;
            }

            DoubleDouble log2 = LogParts(x, out int exponent) * InverseLn2;
            return (DoubleDouble.TwoSum(exponent, log2.Hi) + new DoubleDouble(log2.Lo, 0)).Value;
        }

        public static double Log10(double x)
        {
            if (!IsLogArgumentOrdinary(x, out double special))
            {
                return special;
            }

            return (NaturalLogCore(x) * InverseLn10).Value;
        }

        public static double Pow(double x, double y)
        {
            // C99 F.10.4.4, in the order that makes each rule win over the later ones.
            if (y == 0 || x == 1)
            {
                return 1.0;
            }

            if (FloatBits.IsNaN(x) || FloatBits.IsNaN(y))
            {
                return x + y;
            }

            bool yIsInteger = RoundingFunctions.Trunc(y) == y;
            bool yIsOddInteger = yIsInteger && FloatBits.Abs(y) < 9007199254740992.0 && RoundingFunctions.Fmod(y, 2.0) != 0;
            if (FloatBits.IsInfinity(y))
            {
                double absX = FloatBits.Abs(x);
                if (absX == 1)
                {
                    return 1.0;             // pow(-1, +-inf)
                }

                return (absX < 1) == (y < 0) ? double.PositiveInfinity : 0.0;
            }

            if (x == 0)
            {
                if (y < 0)
                {
                    return yIsOddInteger ? FloatBits.CopySign(double.PositiveInfinity, x) : double.PositiveInfinity;
                }

                return yIsOddInteger ? x : 0.0;
            }

            if (FloatBits.IsInfinity(x))
            {
                double magnitude = y < 0 ? 0.0 : double.PositiveInfinity;
                return x < 0 && yIsOddInteger ? -magnitude : magnitude;
            }

            double sign = 1.0;
            if (x < 0)
            {
                if (!yIsInteger)
                {
                    return double.NaN;      // a negative base needs an integer exponent
                }

                sign = yIsOddInteger ? -1.0 : 1.0;
                x = -x;
                if (x == 1)
                {
                    return sign;            // (-1)^integer, even for the largest y
                }
            }

            // |x|^y = 2^(y * log2|x|), log2|x| = exponent + ln(m) / ln 2, all in double-double.
            DoubleDouble log2 = LogParts(x, out int exponent) * InverseLn2;
            DoubleDouble log2X = DoubleDouble.TwoSum(exponent, log2.Hi) + new DoubleDouble(log2.Lo, 0);
            // Decide overflow and underflow on a plain estimate first: the exact product would
            // overflow inside Dekker's split for the largest y.
            double estimate = log2X.Hi * y;
            if (estimate > 1100)
            {
                return sign * double.PositiveInfinity;
            }

            if (estimate < -1200)
            {
                return sign * 0.0;
            }

            DoubleDouble t = log2X * y;

            return sign * Exp2Core(t);
        }

        private static bool IsLogArgumentOrdinary(double x, out double special)
        {
            if (FloatBits.IsNaN(x) || x < 0)
            {
                special = double.NaN;
                return false;
            }

            if (x == 0)
            {
                special = double.NegativeInfinity;
                return false;
            }

            if (FloatBits.IsInfinity(x))
            {
                special = x;
                return false;
            }

            special = 0;
            return true;
        }

        /// <summary>ln x for a positive finite x, as a double-double.</summary>
        private static DoubleDouble NaturalLogCore(double x)
        {
            DoubleDouble logOfSignificand = LogParts(x, out int exponent);
            return (Ln2 * exponent) + logOfSignificand;
        }

        /// <summary>
        /// Splits a positive finite x into 2^exponent * m and returns ln(m) as a double-double. m lies
        /// in [1, 2), except near 1 where x itself is used (exponent 0), so ln x near 0 keeps its
        /// relative precision. ln(m) = ln(c) + ln(1 + f) with c = 1 + j/128 from the table and
        /// f = (m - c)/c below 1/128, whose series converges fast.
        /// </summary>
        private static DoubleDouble LogParts(double x, out int exponent)
        {
            if (x > 0.96875 && x < 1.03125)
            {
                exponent = 0;
                return Log1pSeries(new DoubleDouble(x - 1.0, 0));   // x - 1 is exact here (Sterbenz)
            }

            exponent = 0;
            ulong bits = FloatBits.Bits(x);
            if (bits < (1UL << FloatBits.FractionBits))
            {
                x *= FloatBits.PowerOfTwo(54);        // subnormal: normalise first
                bits = FloatBits.Bits(x);
                exponent = -54;
            }

            exponent += (int)(bits >> FloatBits.FractionBits) - FloatBits.ExponentBias;
            double m = FloatBits.FromBits((bits & FloatBits.FractionMask) | ((ulong)FloatBits.ExponentBias << FloatBits.FractionBits));
            int j = (int)((bits >> (FloatBits.FractionBits - 7)) & 127);
            double c = 1.0 + (j / 128.0);
            double numerator = m - c;                 // exact: both in [1, 2), less than 1/128 apart

            // f = numerator / c to double-double precision: the quotient plus the quotient of its remainder.
            double quotient = numerator / c;
            DoubleDouble back = DoubleDouble.TwoProduct(quotient, c);
            double remainder = (numerator - back.Hi) - back.Lo;
            var f = new DoubleDouble(quotient, remainder / c);

            TableEntry(MathTables.LogTable, j, out DoubleDouble logOfC);
            return logOfC + Log1pSeries(f);
        }

        /// <summary>ln(1 + f) = f - f^2/2 + f^3/3 - ... for |f| &lt;= 1/32, as a double-double.</summary>
        private static DoubleDouble Log1pSeries(DoubleDouble f)
        {
            double h = f.Hi;
            // The cubic and higher terms are below 2^-14 |f|: double precision suffices for them.
            double series = 1.0 / 14;
            for (int k = 13; k >= 3; k--)
            {
                series = (1.0 / k) - (h * series);      // Horner: 1/3 - h/4 + h^2/5 - ... - h^11/14
            }

            double tail = h * h * h * series;
            DoubleDouble halfSquare = (f * f) * 0.5;
            return f + (-halfSquare) + new DoubleDouble(tail, 0);
        }

        /// <summary>
        /// 2^t for a double-double t with |t| &lt; 1200: t = n/64 + r, 2^t = 2^(n div 64) *
        /// 2^((n mod 64)/64) * e^(r ln 2) with |r| &lt;= 1/128, so that the series for e^(r ln 2) - 1
        /// needs only a few terms.
        /// </summary>
        private static double Exp2Core(DoubleDouble t)
        {
            double n = FloatBits.RoundToNearestInteger(t.Hi * 64);
            int steps = (int)n;
            double reducedHi = ((t.Hi * 64) - n) / 64;        // exact: t.Hi * 64 is within 1/2 of n
            DoubleDouble u = DoubleDouble.FastTwoSum(reducedHi, t.Lo) * Ln2;
            double h = u.Hi;
            double higherTerms = h * h * (0.5 + (h * ((1.0 / 6) + (h * ((1.0 / 24) + (h * ((1.0 / 120) + (h * ((1.0 / 720) + (h * (1.0 / 5040)))))))))));
            DoubleDouble expm1 = u + new DoubleDouble(higherTerms, 0);

            TableEntry(MathTables.Exp2Table, steps & 63, out DoubleDouble power);
            DoubleDouble scaled = power + (power * expm1);
            return FloatBits.ScaleB(scaled.Value, steps >> 6);
        }

        private static void TableEntry(System.ReadOnlySpan<ulong> table, int index, out DoubleDouble entry) =>
            entry = DoubleDouble.FromBits(table[2 * index], table[(2 * index) + 1]);
    }
}
