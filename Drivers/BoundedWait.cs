using System;
using System.Diagnostics;

namespace Cosmos.Drivers
{
    /// <summary>Polls a register condition until it holds or a deadline passes; never waits without a bound (AHCI, e1000).</summary>
    internal static class BoundedWait
    {
        /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="timeout"/> passed first.</summary>
        public static bool Until(Func<bool> condition, TimeSpan timeout)
        {
            long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                if (condition())
                {
                    return true;
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    // One last look: the deadline may have passed while this thread was not running.
                    return condition();
                }
            }
        }
    }
}
