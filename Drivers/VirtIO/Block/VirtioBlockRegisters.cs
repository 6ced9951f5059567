namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>virtio-blk constants (VirtIO 1.2 §5.2).</summary>
    internal static class VirtioBlockRegisters
    {
        // Feature bits (§5.2.3).
        public const ulong FeatureSizeMax = 1UL << 1;
        public const ulong FeatureSegMax = 1UL << 2;
        public const ulong FeatureReadOnly = 1UL << 5;
        public const ulong FeatureBlockSize = 1UL << 6;
        public const ulong FeatureFlush = 1UL << 9;

        // Device configuration layout (§5.2.4).
        public const int ConfigCapacity = 0;      // le64, always in 512-byte sectors
        public const int ConfigSegMax = 12;       // le32
        public const int ConfigBlockSize = 20;    // le32

        // Request types (§5.2.6).
        public const uint TypeIn = 0;
        public const uint TypeOut = 1;
        public const uint TypeFlush = 4;
        public const uint TypeGetId = 8;

        // Status byte values (§5.2.6).
        public const byte StatusOk = 0;
        public const byte StatusIoError = 1;
        public const byte StatusUnsupported = 2;

        public const int SectorSize = 512;
        public const int RequestHeaderSize = 16;
        public const int IdLength = 20;
    }
}
