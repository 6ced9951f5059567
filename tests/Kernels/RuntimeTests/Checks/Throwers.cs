using System;
using System.Runtime.CompilerServices;

namespace RuntimeTests.Checks
{
    /// <summary>Methods that throw, kept out of line so that every throw has a frame of its own.</summary>
    internal static class Throwers
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Throw(Exception exception) => throw exception;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int ThrowIfPositive(int value)
        {
            if (value > 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "positive");
            }

            return value;
        }
    }
}
