using System;

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
        public const ulong FeatureDiscard = 1UL << 13;
        public const ulong FeatureWriteZeroes = 1UL << 14;

        // Device configuration layout (§5.2.4).
        public const int ConfigCapacity = 0;               // le64, always in 512-byte sectors
        public const int ConfigSizeMax = 8;                // le32, bytes per segment
        public const int ConfigSegMax = 12;                // le32, data segments per request
        public const int ConfigBlockSize = 20;             // le32
        public const int ConfigMaxDiscardSectors = 36;     // le32
        public const int ConfigMaxDiscardSeg = 40;         // le32
        public const int ConfigDiscardAlignment = 44;      // le32, sectors
        public const int ConfigMaxWriteZeroesSectors = 48; // le32
        public const int ConfigMaxWriteZeroesSeg = 52;     // le32

        /// <summary>
        /// The configuration bytes the driver reads with <paramref name="features"/> negotiated: capacity always, then
        /// each field its feature makes valid (§5.2.4). A device whose configuration is shorter cannot be driven.
        /// </summary>
        public static int ConfigLengthFor(ulong features)
        {
            int length = ConfigCapacity + 8;
            if ((features & FeatureSizeMax) != 0)
            {
                length = Math.Max(length, ConfigSizeMax + 4);
            }

            if ((features & FeatureSegMax) != 0)
            {
                length = Math.Max(length, ConfigSegMax + 4);
            }

            if ((features & FeatureBlockSize) != 0)
            {
                length = Math.Max(length, ConfigBlockSize + 4);
            }

            if ((features & FeatureDiscard) != 0)
            {
                length = Math.Max(length, ConfigDiscardAlignment + 4);
            }

            if ((features & FeatureWriteZeroes) != 0)
            {
                length = Math.Max(length, ConfigMaxWriteZeroesSectors + 4);
            }

            return length;
        }

        // Request types (§5.2.6).
        public const uint TypeIn = 0;
        public const uint TypeOut = 1;
        public const uint TypeFlush = 4;
        public const uint TypeGetId = 8;
        public const uint TypeDiscard = 11;
        public const uint TypeWriteZeroes = 13;

        // Status byte values (§5.2.6).
        public const byte StatusOk = 0;
        public const byte StatusIoError = 1;
        public const byte StatusUnsupported = 2;

        // Written into the status byte before a request is posted: a device that completes a request
        // without writing a status is lying, and the request fails.
        public const byte StatusNotWritten = 0xFF;

        public const int SectorSize = 512;
        public const int RequestHeaderSize = 16;
        public const int IdLength = 20;

        // §5.2.6: struct virtio_blk_discard_write_zeroes {le64 sector; le32 num_sectors; le32 flags}.
        public const int DiscardSegmentSize = 16;
    }
}
