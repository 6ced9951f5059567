namespace Cosmos.System.Network
{
    /// <summary>Comparisons of 32-bit sequence numbers modulo 2^32 (RFC 9293 §3.4).</summary>
    internal static class TcpSequence
    {
        public static bool LessThan(uint a, uint b) => (int)(a - b) < 0;

        public static bool LessOrEqual(uint a, uint b) => (int)(a - b) <= 0;

        public static bool GreaterThan(uint a, uint b) => (int)(a - b) > 0;

        public static bool GreaterOrEqual(uint a, uint b) => (int)(a - b) >= 0;

        /// <summary>start &lt;= value &lt; start + length.</summary>
        public static bool InWindow(uint value, uint start, uint length) => value - start < length;

        public static uint Max(uint a, uint b) => GreaterThan(a, b) ? a : b;
    }
}
