namespace Cosmos.Drivers.E1000
{
    /// <summary>The legacy receive descriptor (8254x SDM §3.2.3): 16 bytes the device fills in.</summary>
    internal static class E1000ReceiveDescriptor
    {
        public const int Size = 16;

        public const int BufferAddressOffset = 0;
        public const int LengthOffset = 8;
        public const int StatusOffset = 12;
        public const int ErrorsOffset = 13;

        // §3.2.3.1 status: descriptor done, end of packet.
        public const byte StatusDd = 1 << 0;
        public const byte StatusEop = 1 << 1;

        // §3.2.3.2 errors: CRC/alignment, symbol, sequence, carrier extension, RX data error (TCPE/IPE only report checksums).
        public const byte ErrorsFrame = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 4) | (1 << 7);
    }
}
