namespace Cosmos.Core.Runtime
{
    /// <summary>Binary search over a table sorted by address, as the unwinder and the symbol table keep them.</summary>
    internal static unsafe class SortedTable
    {
        /// <summary>
        /// The index of the last of <paramref name="count"/> entries, <paramref name="stride"/> bytes
        /// apart, whose key (read by <paramref name="keyOf"/>(entry, context)) is at most
        /// <paramref name="key"/>; -1 when every key is above it.
        /// </summary>
        public static long FindLastAtOrBelow(byte* entries, long count, int stride, ulong key, byte* context, delegate*<byte*, byte*, ulong> keyOf)
        {
            long low = 0, high = count - 1, found = -1;
            while (low <= high)
            {
                long middle = (low + high) / 2;
                if (keyOf(entries + (middle * stride), context) <= key)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return found;
        }
    }
}
