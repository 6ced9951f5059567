using System;
using System.Globalization;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Number and string formatting, interpolation, parsing and the common string methods.</summary>
    internal static class FormattingChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("format.integers", Integers);
            tests.Add("format.hexadecimal-and-padding", HexadecimalAndPadding);
            tests.Add("format.fixed-and-grouped", FixedAndGrouped);
            tests.Add("format.double-shortest-round-trip", DoubleShortestRoundTrip);
            tests.Add("format.alignment", Alignment);
            tests.Add("format.interpolation", Interpolation);
            tests.Add("format.composite-and-escaped-braces", CompositeAndEscapedBraces);
            tests.Add("format.date-time-and-time-span", DateTimeAndTimeSpan);
            tests.Add("format.parsing", Parsing);
            tests.Add("format.string-methods", StringMethods);
            tests.Add("format.unicode-and-case", UnicodeAndCase);
        }

        private static void Integers()
        {
            Assert.Equal("42", Opaque.Value(42).ToString(), "42");
            Assert.Equal("-7", Opaque.Value(-7).ToString(), "-7");
            Assert.Equal("-2147483648", Opaque.Value(int.MinValue).ToString(), "int.MinValue");
            Assert.Equal("9223372036854775807", Opaque.Value(long.MaxValue).ToString(), "long.MaxValue");
            Assert.Equal("18446744073709551615", Opaque.Value(ulong.MaxValue).ToString(), "ulong.MaxValue");
            Assert.Equal("255", Opaque.Value((byte)255).ToString(), "byte");
            Assert.Equal("-128", Opaque.Value(sbyte.MinValue).ToString(), "sbyte.MinValue");
            Assert.Equal("00042", Opaque.Value(42).ToString("D5"), "D5");
            Assert.Equal("79228162514264337593543950335", Opaque.Value(decimal.MaxValue).ToString(), "decimal.MaxValue");
            Assert.Equal("170141183460469231731687303715884105727", Opaque.Value(Int128.MaxValue).ToString(), "Int128.MaxValue");
        }

        private static void HexadecimalAndPadding()
        {
            Assert.Equal("00FF", Opaque.Value(255).ToString("X4"), "X4");
            Assert.Equal("deadbeef", Opaque.Value(0xDEADBEEF).ToString("x"), "x");
            Assert.Equal("FFFFFFFF", Opaque.Value(-1).ToString("X"), "X of -1");
            Assert.Equal("0x002A", $"0x{Opaque.Value(42):X4}", "interpolated X4");
            Assert.Equal("101010", Convert.ToString(Opaque.Value(42), 2), "Convert.ToString(42, 2)");
            Assert.Equal("1010", Opaque.Value(10).ToString("B"), "B (binary)");
        }

        private static void FixedAndGrouped()
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            Assert.Equal("3.14", Opaque.Value(3.14159).ToString("F2", inv), "F2");
            Assert.Equal("2.50", Opaque.Value(2.5).ToString("F2", inv), "F2 pads");
            Assert.Equal("2", Opaque.Value(2.5).ToString("F0", inv), "F0 rounds an exact half to even");
            Assert.Equal("4", Opaque.Value(3.5).ToString("F0", inv), "F0 rounds an exact half to even (up)");
            Assert.Equal("1,234,567.89", Opaque.Value(1234567.891).ToString("N2", inv), "N2");
            Assert.Equal("1,000", Opaque.Value(1000).ToString("N0", inv), "N0 of an int");
            Assert.Equal("12.50 %", Opaque.Value(0.125).ToString("P2", inv), "P2");
            Assert.Equal("1.234560E+003", Opaque.Value(1234.56).ToString("E6", inv), "E6");
            Assert.Equal("1.5", Opaque.Value(1.5m).ToString(inv), "decimal");
            Assert.Equal("0.333", Opaque.Value(1.0 / 3).ToString("0.###", inv), "custom format 0.###");
            Assert.Equal("007.50", Opaque.Value(7.5).ToString("000.00", inv), "custom format 000.00");
        }

        private static void DoubleShortestRoundTrip()
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            Assert.Equal("0.1", Opaque.Value(0.1).ToString(inv), "0.1");
            Assert.Equal("0.30000000000000004", (Opaque.Value(0.1) + 0.2).ToString(inv), "0.1 + 0.2");
            Assert.Equal("0.3333333333333333", (1.0 / Opaque.Value(3.0)).ToString(inv), "1/3");
            Assert.Equal("1E+21", Opaque.Value(1e21).ToString(inv), "1e21");
            Assert.Equal("1E-07", Opaque.Value(1e-7).ToString(inv), "1e-7");
            Assert.Equal("1.2345678901234568E+17", Opaque.Value(123456789012345678.0).ToString(inv), "large integer-valued double");
            Assert.Equal("123456789012345", Opaque.Value(123456789012345.0).ToString(inv), "15-digit integer-valued double");
            Assert.Equal("-0", Opaque.Value(-0.0).ToString(inv), "-0.0");
            Assert.Equal("NaN", Opaque.Value(double.NaN).ToString(inv), "NaN");
            Assert.Equal("-Infinity", Opaque.Value(double.NegativeInfinity).ToString(inv), "-Infinity");
            Assert.Equal("1.7976931348623157E+308", Opaque.Value(double.MaxValue).ToString(inv), "double.MaxValue");
            Assert.Equal("5E-324", Opaque.Value(double.Epsilon).ToString(inv), "double.Epsilon");
            Assert.Equal("3.4028235E+38", Opaque.Value(float.MaxValue).ToString(inv), "float.MaxValue");
            Assert.Equal("0.1", Opaque.Value(0.1f).ToString(inv), "0.1f");
        }

        private static void Alignment()
        {
            Assert.Equal("[   5]", $"[{Opaque.Value(5),4}]", "right-aligned in 4");
            Assert.Equal("[5   ]", $"[{Opaque.Value(5),-4}]", "left-aligned in 4");
            Assert.Equal("[  2.2]", string.Format(CultureInfo.InvariantCulture, "[{0,5:F1}]", Opaque.Value(2.25)), "alignment with a format (2.25 is exact: half to even)");
            Assert.Equal("[toolong]", $"[{Opaque.Value("toolong"),3}]", "alignment never truncates");
            Assert.Equal("  ab|cd  ", $"{Opaque.Value("ab"),4}|{Opaque.Value("cd"),-4}", "two aligned strings");
        }

        private static void Interpolation()
        {
            string name = Opaque.Value("Cosmos");
            int age = Opaque.Value(3);
            double ratio = Opaque.Value(0.5);
            FormattableString text = $"{name} is {age} years old, {ratio:P0} done";
            Assert.Equal("Cosmos is 3 years old, 50 % done", FormattableString.Invariant(text), "interpolated string");
            Assert.Equal("a1b2.5c", $"a{1}b{2.5}c", "constants interpolate");
            char c = Opaque.Value('z');
            bool flag = Opaque.Value(true);
            object? nothing = Opaque.Value<object?>(null);
            Assert.Equal("z|True|", $"{c}|{flag}|{nothing}", "char, bool and null");
        }

        private static void CompositeAndEscapedBraces()
        {
            Assert.Equal("{x} = 5", string.Format("{{x}} = {0}", Opaque.Value(5)), "escaped braces");
            Assert.Equal("b a b", string.Format("{1} {0} {1}", "a", "b"), "repeated arguments");
            Assert.Throws<FormatException>(() => string.Format("{1}", Opaque.Value("only one")), "missing argument");
            Assert.Equal("{5}", $"{{{Opaque.Value(5)}}}", "braces around a hole");
        }

        private static void DateTimeAndTimeSpan()
        {
            var moment = new DateTime(2024, 2, 29, 13, 4, 5, 678, DateTimeKind.Utc);
            Assert.Equal("2024-02-29 13:04:05.678", moment.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), "custom date format");
            Assert.Equal("2024-02-29T13:04:05.6780000Z", moment.ToString("O", CultureInfo.InvariantCulture), "round-trip format");
            Assert.Equal(DayOfWeek.Thursday, moment.DayOfWeek, "2024-02-29 is a Thursday");
            Assert.Equal(60, moment.DayOfYear, "DayOfYear");
            DateTime later = moment.AddDays(1).AddHours(11);
            Assert.Equal(new DateTime(2024, 3, 2, 0, 4, 5, 678), later, "AddDays and AddHours across a month end");
            var span = TimeSpan.FromSeconds(Opaque.Value(3725.5));
            Assert.Equal("01:02:05.5000000", span.ToString(), "TimeSpan.ToString()");
            Assert.Equal("1:02:05", span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture), "TimeSpan custom format");
        }

        private static void Parsing()
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            Assert.Equal(-123, int.Parse(Opaque.Value("-123"), inv), "int.Parse");
            Assert.Equal(255, int.Parse(Opaque.Value("ff"), NumberStyles.HexNumber, inv), "hex int.Parse");
            Assert.BitEqual(3.5, double.Parse(Opaque.Value("3.5"), inv), "double.Parse");
            Assert.BitEqual(0.1, double.Parse(Opaque.Value("0.1"), inv), "double.Parse is correctly rounded");
            Assert.BitEqual(-1.5e-300, double.Parse(Opaque.Value("-1.5e-300"), inv), "double.Parse with an exponent");
            Assert.False(int.TryParse(Opaque.Value("12x"), out _), "int.TryParse rejects 12x");
            Assert.Throws<FormatException>(() => int.Parse(Opaque.Value("twelve"), inv), "int.Parse(\"twelve\")");
            Assert.Throws<OverflowException>(() => int.Parse(Opaque.Value("99999999999"), inv), "int.Parse overflow");
            Assert.Equal(1.25m, decimal.Parse(Opaque.Value("1.25"), inv), "decimal.Parse");
            Assert.Equal(Guid.Parse("01234567-89ab-cdef-0123-456789abcdef").ToString(), "01234567-89ab-cdef-0123-456789abcdef", "Guid round trip");
        }

        private static void StringMethods()
        {
            string text = Opaque.Value("  The quick brown fox  ");
            string trimmed = text.Trim();
            Assert.Equal("The quick brown fox", trimmed, "Trim");
            Assert.SequenceEqual(new[] { "The", "quick", "brown", "fox" }, trimmed.Split(' '), "Split");
            Assert.Equal("The-quick-brown-fox", string.Join("-", trimmed.Split(' ')), "Join");
            Assert.Equal("The slow brown fox", trimmed.Replace("quick", "slow"), "Replace");
            Assert.Equal(10, trimmed.IndexOf("brown", StringComparison.Ordinal), "IndexOf");
            Assert.Equal("quick", trimmed.Substring(4, 5), "Substring");
            Assert.Equal("THE QUICK BROWN FOX", trimmed.ToUpperInvariant(), "ToUpperInvariant");
            Assert.True(trimmed.StartsWith("The", StringComparison.Ordinal), "StartsWith");
            Assert.True(trimmed.EndsWith("fox", StringComparison.Ordinal), "EndsWith");
            Assert.Equal("00042", "42".PadLeft(5, '0'), "PadLeft");
            Assert.True(string.Compare("apple", Opaque.Value("banana"), StringComparison.Ordinal) < 0, "ordinal Compare");
            Assert.True(string.Equals("KERNEL", Opaque.Value("kernel"), StringComparison.OrdinalIgnoreCase), "OrdinalIgnoreCase Equals");
            Assert.Equal("xfox", "x" + trimmed[16..], "range indexer");
            Assert.Equal("abcabcabc", string.Concat(System.Linq.Enumerable.Repeat("abc", 3)), "Concat of a sequence");
        }

        private static void UnicodeAndCase()
        {
            string word = Opaque.Value("h\u00e9llo w\u00f6rld \u03c9");
            Assert.Equal("H\u00c9LLO W\u00d6RLD \u03a9", word.ToUpperInvariant(), "ToUpperInvariant beyond ASCII");
            Assert.Equal(13, word.Length, "Length in UTF-16 code units");
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(word);
            Assert.Equal(16, utf8.Length, "UTF-8 byte count");
            Assert.Equal(word, System.Text.Encoding.UTF8.GetString(utf8), "UTF-8 round trip");
            string emoji = Opaque.Value("\U0001F600");
            Assert.Equal(2, emoji.Length, "a surrogate pair is two chars");
            Assert.True(char.IsSurrogatePair(emoji[0], emoji[1]), "IsSurrogatePair");
            Assert.Equal(0x1F600, char.ConvertToUtf32(emoji, 0), "ConvertToUtf32");
        }
    }
}
