using System.Threading;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// Typed access to a split ring in DMA memory (VirtIO 1.2 §2.7.5, §2.7.6, §2.7.8). Fields the
    /// device reads or writes concurrently go through <see cref="Volatile"/>. Little-endian CPU assumed
    /// (x86-64): the rings are little-endian (legacy: guest-endian, the same thing here).
    /// Nothing read back from this memory is trusted: the queue keeps its own shadow state.
    /// </summary>
    internal sealed unsafe class SplitRingMemory
    {
        // struct virtq_desc flags (§2.7.5).
        public const ushort DescriptorNext = 1;
        public const ushort DescriptorWrite = 2;
        public const ushort DescriptorIndirect = 4;

        // struct virtq_avail flags (§2.7.6) and struct virtq_used flags (§2.7.8).
        public const ushort AvailNoInterrupt = 1;
        public const ushort UsedNoNotify = 1;

        private const int RingFlags = 0;
        private const int RingIndex = 2;
        private const int RingEntries = 4;

        private readonly byte* _descriptors;
        private readonly byte* _avail;
        private readonly byte* _used;
        private readonly int _size;

        public SplitRingMemory(DmaBuffer memory, VirtqueueLayout layout)
        {
            byte* start = (byte*)memory.Address;
            _descriptors = start + layout.DescriptorTableOffset;
            _avail = start + layout.AvailableRingOffset;
            _used = start + layout.UsedRingOffset;
            _size = layout.QueueSize;
        }

        /// <summary>Writes descriptor <paramref name="index"/> of a table (the queue's or an indirect one).</summary>
        public static void WriteDescriptor(byte* table, int index, ulong physicalAddress, uint length, ushort flags, ushort next)
        {
            byte* descriptor = table + (index * VirtqueueLayout.DescriptorSize);
            *(ulong*)descriptor = physicalAddress;
            *(uint*)(descriptor + 8) = length;
            *(ushort*)(descriptor + 12) = flags;
            *(ushort*)(descriptor + 14) = next;
        }

        public void WriteDescriptor(int index, ulong physicalAddress, uint length, ushort flags, ushort next) =>
            WriteDescriptor(_descriptors, index, physicalAddress, length, flags, next);

        public void WriteAvailFlags(ushort flags) => Volatile.Write(ref *(ushort*)(_avail + RingFlags), flags);

        public void WriteAvailEntry(int slot, ushort head) => *(ushort*)(_avail + RingEntries + (2 * slot)) = head;

        /// <summary>Release store: the entries written before it are visible to the device first (§2.7.13.3.1).</summary>
        public void PublishAvailIndex(ushort index) => Volatile.Write(ref *(ushort*)(_avail + RingIndex), index);

        /// <summary>used_event sits after the available ring's entries (§2.7.6).</summary>
        public void WriteUsedEvent(ushort index) => Volatile.Write(ref *(ushort*)(_avail + RingEntries + (2 * _size)), index);

        public ushort ReadUsedFlags() => Volatile.Read(ref *(ushort*)(_used + RingFlags));

        /// <summary>Acquire load: the elements and lengths the device wrote before it are visible (§2.7.8.2).</summary>
        public ushort ReadUsedIndex() => Volatile.Read(ref *(ushort*)(_used + RingIndex));

        public void ReadUsedElement(int slot, out uint id, out uint length)
        {
            byte* element = _used + RingEntries + (slot * VirtqueueLayout.UsedElementSize);
            id = Volatile.Read(ref *(uint*)element);
            length = Volatile.Read(ref *(uint*)(element + 4));
        }

        /// <summary>avail_event sits after the used ring's elements (§2.7.8).</summary>
        public ushort ReadAvailEvent() =>
            Volatile.Read(ref *(ushort*)(_used + RingEntries + (_size * VirtqueueLayout.UsedElementSize)));
    }
}
