namespace Cosmos.Drivers.E1000
{
    /// <summary>The legacy transmit descriptor (8254x SDM §3.3.3): 16 bytes, the device writes back STA.DD.</summary>
    internal static class E1000TransmitDescriptor
    {
        public const int Size = 16;

        public const int BufferAddressOffset = 0;
        public const int LengthOffset = 8;
        public const int CommandOffset = 11;
        public const int StatusOffset = 12;

        // §3.3.3.1 CMD: end of packet, insert FCS, report status.
        public const byte CommandEop = 1 << 0;
        public const byte CommandIfcs = 1 << 1;
        public const byte CommandRs = 1 << 3;

        // §3.3.3.2 STA: descriptor done.
        public const byte StatusDd = 1 << 0;
    }
}
