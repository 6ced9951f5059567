using System;
using System.Collections.Generic;
using System.Globalization;

namespace Cosmos.TestKit
{
    /// <summary>
    /// Assertions for kernel checks. Each failure throws <see cref="CheckFailedException"/> with a
    /// message that says what was expected and what was seen.
    /// </summary>
    public static class Assert
    {
        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void Equal<T>(T expected, T actual, string? what = null)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                Fail(what, "expected " + Format(expected) + ", got " + Format(actual));
            }
        }

        /// <summary>Fails when <paramref name="actual"/> equals <paramref name="unexpected"/>.</summary>
        public static void NotEqual<T>(T unexpected, T actual, string? what = null)
        {
            if (EqualityComparer<T>.Default.Equals(unexpected, actual))
            {
                Fail(what, "expected anything but " + Format(unexpected) + ", got it");
            }
        }

        /// <summary>
        /// Fails unless the two doubles are the same IEEE value: bit for bit, so -0 differs from +0,
        /// except that any NaN matches any NaN (IEEE 754 leaves a NaN's sign and payload open).
        /// </summary>
        public static void BitEqual(double expected, double actual, string? what = null)
        {
            if (double.IsNaN(expected) && double.IsNaN(actual))
            {
                return;
            }

            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
            {
                Fail(what, "expected " + Format(expected) + " (0x" + BitConverter.DoubleToInt64Bits(expected).ToString("x16", CultureInfo.InvariantCulture)
                    + "), got " + Format(actual) + " (0x" + BitConverter.DoubleToInt64Bits(actual).ToString("x16", CultureInfo.InvariantCulture) + ")");
            }
        }

        /// <summary>Fails unless |expected - actual| &lt;= tolerance.</summary>
        public static void Near(double expected, double actual, double tolerance, string? what = null)
        {
            if (!(Math.Abs(expected - actual) <= tolerance))
            {
                Fail(what, "expected " + Format(expected) + " within " + Format(tolerance) + ", got " + Format(actual));
            }
        }

        /// <summary>Fails unless <paramref name="condition"/> holds; <paramref name="what"/> names the condition.</summary>
        public static void True(bool condition, string what)
        {
            if (!condition)
            {
                Fail(what, "expected true, got false");
            }
        }

        /// <summary>Fails if <paramref name="condition"/> holds; <paramref name="what"/> names the condition.</summary>
        public static void False(bool condition, string what)
        {
            if (condition)
            {
                Fail(what, "expected false, got true");
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> is null.</summary>
        public static void Null(object? actual, string? what = null)
        {
            if (actual is not null)
            {
                Fail(what, "expected null, got " + Format(actual));
            }
        }

        /// <summary>Fails when <paramref name="actual"/> is null.</summary>
        public static void NotNull(object? actual, string? what = null)
        {
            if (actual is null)
            {
                Fail(what, "expected a non-null value, got null");
            }
        }

        /// <summary>Fails unless both are the same object.</summary>
        public static void Same(object? expected, object? actual, string? what = null)
        {
            if (!ReferenceEquals(expected, actual))
            {
                Fail(what, "expected the same object as " + Format(expected) + ", got " + Format(actual));
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> contains <paramref name="expected"/>.</summary>
        public static void Contains(string expected, string? actual, string? what = null)
        {
            if (actual is null || !actual.Contains(expected, StringComparison.Ordinal))
            {
                Fail(what, "expected text containing " + Format(expected) + ", got " + Format(actual));
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> has exactly the type <typeparamref name="T"/>, and returns it.</summary>
        public static T IsType<T>(object? actual, string? what = null)
        {
            if (actual is null || actual.GetType() != typeof(T))
            {
                Fail(what, "expected an instance of " + typeof(T).FullName + ", got " + (actual is null ? "null" : actual.GetType().FullName));
            }

            return (T)actual!;
        }

        /// <summary>Fails unless the sequences have equal elements in the same order.</summary>
        public static void SequenceEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, string? what = null)
        {
            var expectedList = new List<T>(expected);
            var actualList = new List<T>(actual);
            bool same = expectedList.Count == actualList.Count;
            for (int i = 0; same && i < expectedList.Count; i++)
            {
                same = EqualityComparer<T>.Default.Equals(expectedList[i], actualList[i]);
            }

            if (!same)
            {
                Fail(what, "expected [" + Join(expectedList) + "], got [" + Join(actualList) + "]");
            }
        }

        /// <summary>
        /// Fails unless <paramref name="action"/> throws exactly <typeparamref name="TException"/>
        /// (not a subclass), and returns the exception.
        /// </summary>
        public static TException Throws<TException>(Action action, string? what = null)
            where TException : Exception
        {
            ArgumentNullException.ThrowIfNull(action);
            try
            {
                action();
            }
            catch (Exception caught)
            {
                if (caught.GetType() == typeof(TException))
                {
                    return (TException)caught;
                }

                Fail(what, "expected " + typeof(TException).FullName + ", got " + Describe(caught));
            }

            Fail(what, "expected " + typeof(TException).FullName + ", but nothing was thrown");
            return null!;
        }

        /// <summary>Fails with <paramref name="message"/>.</summary>
        public static void Fail(string message) => throw new CheckFailedException(message);

        /// <summary>"Type: message (at first frame)" for an exception seen where none was expected.</summary>
        public static string Describe(Exception exception)
        {
            ArgumentNullException.ThrowIfNull(exception);
            string text = exception.GetType().FullName + ": " + exception.Message;
            string? trace = exception.StackTrace;
            if (!string.IsNullOrEmpty(trace))
            {
                int end = trace.IndexOf('\n');
                text += " (" + (end < 0 ? trace : trace.Substring(0, end)).Trim() + ")";
            }

            return text;
        }

        /// <summary>How a value is shown in a message: strings quoted, doubles round-trippable, null as null.</summary>
        public static string Format(object? value) => value switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            char c => "'" + c.ToString() + "'",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };

        private static string Join<T>(List<T> items)
        {
            var parts = new string[items.Count];
            for (int i = 0; i < items.Count; i++)
            {
                parts[i] = Format(items[i]);
            }

            return string.Join(", ", parts);
        }

        private static void Fail(string? what, string message) =>
            throw new CheckFailedException(what is null ? message : what + ": " + message);
    }
}
