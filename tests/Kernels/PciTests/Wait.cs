using System;
using Cosmos.Core;

namespace PciTests
{
    /// <summary>Bounded waiting for something an interrupt handler does.</summary>
    internal static class Wait
    {
        /// <summary>True as soon as <paramref name="condition"/> holds; false after <paramref name="milliseconds"/>.</summary>
        public static bool Until(Func<bool> condition, int milliseconds = 2000)
        {
            ulong deadline = Tsc.Nanoseconds + ((ulong)milliseconds * 1_000_000);
            while (!condition())
            {
                if (Tsc.Nanoseconds > deadline)
                {
                    return false;
                }

                Native.Pause();
            }

            return true;
        }
    }
}
