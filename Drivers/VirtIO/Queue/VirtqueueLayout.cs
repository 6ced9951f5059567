using System;
using Cosmos.Drivers.VirtIO.Transport;

namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// Where a split virtqueue's three parts sit inside one physically contiguous allocation
    /// (VirtIO 1.2 §2.7): descriptor table (16·N bytes, 16-aligned), available ring (6 + 2·N bytes,
    /// 2-aligned, <c>used_event</c> last) and used ring (6 + 8·N bytes, 4-aligned, <c>avail_event</c> last).
    /// The legacy layout (§2.7.2) puts the used ring at the next 4096-byte boundary.
    /// </summary>
    public readonly struct VirtqueueLayout
    {
        /// <summary>Bytes per descriptor (<c>struct virtq_desc</c>).</summary>
        public const int DescriptorSize = 16;

        /// <summary>Bytes per used ring element (<c>struct virtq_used_elem</c>).</summary>
        public const int UsedElementSize = 8;

        /// <summary>Queue Align of legacy transports (PCI always, MMIO v1 as written to QueueAlign).</summary>
        public const int LegacyAlignment = 4096;

        /// <summary>The largest queue size (§2.7: 32768, the highest power of two that keeps idx unambiguous).</summary>
        public const int MaxQueueSize = 32768;

        private VirtqueueLayout(int queueSize, int availableRingOffset, int usedRingOffset, int totalBytes, int alignment)
        {
            QueueSize = queueSize;
            AvailableRingOffset = availableRingOffset;
            UsedRingOffset = usedRingOffset;
            TotalBytes = totalBytes;
            Alignment = alignment;
        }

        /// <summary>Number of descriptors and ring slots.</summary>
        public int QueueSize { get; }

        /// <summary>Offset of the descriptor table (always 0).</summary>
        public int DescriptorTableOffset => 0;

        /// <summary>Offset of the available ring.</summary>
        public int AvailableRingOffset { get; }

        /// <summary>Offset of the used ring.</summary>
        public int UsedRingOffset { get; }

        /// <summary>Bytes to allocate.</summary>
        public int TotalBytes { get; }

        /// <summary>Alignment of the allocation.</summary>
        public int Alignment { get; }

        /// <summary>The layout of a queue of <paramref name="queueSize"/> entries (a power of two up to 32768).</summary>
        public static VirtqueueLayout Create(int queueSize, bool legacy)
        {
            if (!VirtqueueMath.IsPowerOfTwo(queueSize) || queueSize > MaxQueueSize)
            {
                throw new ArgumentOutOfRangeException(nameof(queueSize), $"queue size {queueSize} is not a power of two up to {MaxQueueSize}");
            }

            int descriptorBytes = DescriptorSize * queueSize;
            int availBytes = 6 + (2 * queueSize);
            int usedBytes = 6 + (UsedElementSize * queueSize);
            if (legacy)
            {
                int usedOffset = AlignUp(descriptorBytes + availBytes, LegacyAlignment);
                return new VirtqueueLayout(queueSize, descriptorBytes, usedOffset, usedOffset + AlignUp(usedBytes, LegacyAlignment), LegacyAlignment);
            }

            int used = AlignUp(descriptorBytes + availBytes, 4);
            return new VirtqueueLayout(queueSize, descriptorBytes, used, used + usedBytes, DescriptorSize);
        }

        /// <summary>The bus addresses of the three parts when the allocation starts at <paramref name="physicalBase"/>.</summary>
        public VirtqueueAddresses AddressesAt(ulong physicalBase) =>
            new(physicalBase, physicalBase + (ulong)AvailableRingOffset, physicalBase + (ulong)UsedRingOffset);

        private static int AlignUp(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);
    }
}
