namespace Cosmos.System.Tests.Network
{
    /// <summary>Deterministic pseudo-random bytes.</summary>
    internal static class TestData
    {
        public static byte[] Pattern(int length, int seed = 1)
        {
            var data = new byte[length];
            uint x = (uint)seed * 2654435761U + 1;
            for (int i = 0; i < length; i++)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                data[i] = (byte)x;
            }

            return data;
        }
    }
}
