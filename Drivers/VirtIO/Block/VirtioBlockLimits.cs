using System;
using Cosmos.Drivers.VirtIO.Transport;
using static Cosmos.Drivers.VirtIO.Block.VirtioBlockRegisters;

namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>
    /// The device's geometry and request limits as its configuration space states them (VirtIO 1.2
    /// §5.2.4), with the driver's own caps applied: values a feature did not offer, or that make no
    /// sense, fall back to safe defaults.
    /// </summary>
    public sealed class VirtioBlockLimits
    {
        /// <summary>Data segments per request when the device states no SEG_MAX.</summary>
        public const int DefaultSegments = 1;

        private VirtioBlockLimits()
        {
        }

        /// <summary>Capacity in 512-byte sectors (§5.2.4: always 512-byte units).</summary>
        public ulong Sectors { get; private init; }

        /// <summary>The logical block size (BLK_SIZE), 512 when not offered or not a power of two in 512..4096.</summary>
        public int BlockSize { get; private init; }

        /// <summary>Most data segments in one request (SEG_MAX), at least 1.</summary>
        public int MaxSegments { get; private init; }

        /// <summary>Most bytes in one segment (SIZE_MAX); a segment may end inside a block.</summary>
        public int MaxSegmentBytes { get; private init; }

        /// <summary>Most sectors in one DISCARD segment, 0 when DISCARD is not negotiated.</summary>
        public uint MaxDiscardSectors { get; private init; }

        /// <summary>Most sectors in one WRITE_ZEROES segment, 0 when WRITE_ZEROES is not negotiated.</summary>
        public uint MaxWriteZeroesSectors { get; private init; }

        /// <summary>DISCARD granularity in sectors (at least 1).</summary>
        public uint DiscardAlignment { get; private init; }

        /// <summary>
        /// Reads the configuration for the negotiated <paramref name="features"/>. SEG_MAX is capped by
        /// <paramref name="queueSize"/> less header and status (§2.7.5.3.1: no chain longer than the
        /// queue) and by <paramref name="segmentCap"/>, the data segments the driver's indirect tables hold.
        /// </summary>
        public static VirtioBlockLimits Read(IVirtioTransport transport, ulong features, int queueSize, int segmentCap)
        {
            int blockSize = SectorSize;
            if ((features & FeatureBlockSize) != 0)
            {
                uint size = transport.ReadConfig32(ConfigBlockSize);
                if (size >= SectorSize && size <= 4096 && (size & (size - 1)) == 0)
                {
                    blockSize = (int)size;
                }
            }

            int segments = DefaultSegments;
            if ((features & FeatureSegMax) != 0)
            {
                uint segMax = transport.ReadConfig32(ConfigSegMax);
                segments = (int)Math.Clamp(segMax, 1u, (uint)Math.Max(1, Math.Min(queueSize - 2, segmentCap)));
            }

            // Without SIZE_MAX any segment size is allowed; the driver keeps segments below 4 MiB.
            int segmentBytes = 4 * 1024 * 1024;
            if ((features & FeatureSizeMax) != 0)
            {
                uint sizeMax = transport.ReadConfig32(ConfigSizeMax);
                if (sizeMax != 0 && sizeMax < (uint)segmentBytes)
                {
                    segmentBytes = (int)sizeMax;
                }
            }

            uint discard = 0, alignment = 1, zeroes = 0;
            if ((features & FeatureDiscard) != 0)
            {
                discard = transport.ReadConfig32(ConfigMaxDiscardSectors);
                alignment = Math.Max(1u, transport.ReadConfig32(ConfigDiscardAlignment));
            }

            if ((features & FeatureWriteZeroes) != 0)
            {
                zeroes = transport.ReadConfig32(ConfigMaxWriteZeroesSectors);
            }

            return new VirtioBlockLimits
            {
                Sectors = transport.ReadConfig64(ConfigCapacity),
                BlockSize = blockSize,
                MaxSegments = segments,
                MaxSegmentBytes = segmentBytes,
                MaxDiscardSectors = discard,
                MaxWriteZeroesSectors = zeroes,
                DiscardAlignment = alignment,
            };
        }
    }
}
