using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// Turns a request's buffers into a descriptor chain (VirtIO 1.2 §2.7.13.1): readable buffers
    /// first, then writable ones flagged WRITE, linked by NEXT; or, for chains of two or more that fit,
    /// one INDIRECT descriptor pointing to a table of the whole chain (§2.7.5.3). Each head descriptor
    /// owns one indirect table slot, so a table is never shared by two requests in flight.
    /// </summary>
    internal sealed unsafe class DescriptorChainWriter
    {
        private readonly SplitRingMemory _ring;
        private readonly DescriptorFreeList _free;
        private readonly DmaBuffer _indirectTables;

        public DescriptorChainWriter(SplitRingMemory ring, DescriptorFreeList free, DmaBuffer indirectTables, int indirectCapacity)
        {
            _ring = ring;
            _free = free;
            _indirectTables = indirectTables;
            IndirectCapacity = indirectCapacity;
        }

        /// <summary>Longest chain that goes into an indirect table; 0 when indirect descriptors are off.</summary>
        public int IndirectCapacity { get; }

        /// <summary>Descriptors of the queue's table a chain of <paramref name="bufferCount"/> buffers takes.</summary>
        public int DescriptorsFor(int bufferCount) => bufferCount > 1 && bufferCount <= IndirectCapacity ? 1 : bufferCount;

        /// <summary>Writes the chain (the caller checked there are enough free descriptors); returns its head.</summary>
        public int Write(ReadOnlySpan<DmaBuffer> readable, ReadOnlySpan<DmaBuffer> writable)
        {
            int count = readable.Length + writable.Length;
            return DescriptorsFor(count) == 1 && count > 1 ? WriteIndirect(readable, writable) : WriteDirect(readable, writable);
        }

        private int WriteDirect(ReadOnlySpan<DmaBuffer> readable, ReadOnlySpan<DmaBuffer> writable)
        {
            int count = readable.Length + writable.Length;
            int head = _free.TakeChain(count);
            int descriptor = head;
            for (int i = 0; i < count; i++)
            {
                bool isWritable = i >= readable.Length;
                DmaBuffer buffer = isWritable ? writable[i - readable.Length] : readable[i];
                ushort flags = isWritable ? SplitRingMemory.DescriptorWrite : (ushort)0;
                ushort next = 0;
                if (i < count - 1)
                {
                    flags |= SplitRingMemory.DescriptorNext;
                    next = _free.NextOf(descriptor);
                }

                _ring.WriteDescriptor(descriptor, buffer.PhysicalAddress, (uint)buffer.Length, flags, next);
                descriptor = next;
            }

            return head;
        }

        private int WriteIndirect(ReadOnlySpan<DmaBuffer> readable, ReadOnlySpan<DmaBuffer> writable)
        {
            int count = readable.Length + writable.Length;
            int head = _free.TakeChain(1);
            int tableOffset = head * IndirectCapacity * VirtqueueLayout.DescriptorSize;
            byte* table = (byte*)_indirectTables.Address + tableOffset;
            for (int i = 0; i < count; i++)
            {
                bool isWritable = i >= readable.Length;
                DmaBuffer buffer = isWritable ? writable[i - readable.Length] : readable[i];
                ushort flags = isWritable ? SplitRingMemory.DescriptorWrite : (ushort)0;
                ushort next = 0;
                if (i < count - 1)
                {
                    flags |= SplitRingMemory.DescriptorNext;
                    next = (ushort)(i + 1);
                }

                SplitRingMemory.WriteDescriptor(table, i, buffer.PhysicalAddress, (uint)buffer.Length, flags, next);
            }

            _ring.WriteDescriptor(
                head,
                _indirectTables.PhysicalAddress + (ulong)tableOffset,
                (uint)(count * VirtqueueLayout.DescriptorSize),
                SplitRingMemory.DescriptorIndirect,
                0);
            return head;
        }
    }
}
