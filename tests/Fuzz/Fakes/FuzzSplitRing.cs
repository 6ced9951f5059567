using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Drivers.VirtIO.Transport;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// The device's side of a split virtqueue (VirtIO 1.2 §2.7): reads what the driver made available, writes used
    /// elements and the used index, with values the fuzzer chose. Memory outside the driver's DMA allocations is
    /// never touched (a descriptor pointing elsewhere is a driver bug: a finding).
    /// </summary>
    internal sealed unsafe class FuzzSplitRing
    {
        private readonly VirtqueueAddresses _addresses;
        private readonly FuzzDmaAllocator _memory;

        public FuzzSplitRing(VirtqueueAddresses addresses, int size, FuzzDmaAllocator memory)
        {
            _addresses = addresses;
            Size = size;
            _memory = memory;
        }

        public int Size { get; }

        /// <summary>The next available-ring slot the device will read.</summary>
        public ushort NextAvail { get; private set; }

        /// <summary>The used index as the device last wrote it.</summary>
        public ushort UsedIndex { get; private set; }

        private Span<byte> At(ulong address, int length)
        {
            if (!_memory.Contains(address, length))
            {
                throw new FuzzFindingException($"the ring points at 0x{address:x}+{length}, outside the driver's DMA memory");
            }

            return new Span<byte>((void*)address, length);
        }

        /// <summary>Takes the head of the next available chain, or -1 when the driver has made nothing new available.</summary>
        public int TakeAvailable()
        {
            Span<byte> avail = At(_addresses.DriverArea, 4 + (2 * Size));
            ushort index = BinaryPrimitives.ReadUInt16LittleEndian(avail[2..]);
            if (index == NextAvail)
            {
                return -1;
            }

            int head = BinaryPrimitives.ReadUInt16LittleEndian(avail[(4 + (2 * (NextAvail % Size)))..]);
            NextAvail++;
            return head;
        }

        /// <summary>The buffer of descriptor <paramref name="index"/> (direct descriptors only), if it is a valid one.</summary>
        public Span<byte> Buffer(int index, out bool writable)
        {
            writable = false;
            if ((uint)index >= (uint)Size)
            {
                return default;
            }

            Span<byte> descriptor = At(_addresses.DescriptorTable + (ulong)(16 * index), 16);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(descriptor);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[8..]);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[12..]);
            writable = (flags & 2) != 0;
            return (flags & 4) != 0 || length == 0 ? default : At(address, (int)Math.Min(length, 1u << 20));
        }

        /// <summary>
        /// The buffers of the chain starting at descriptor <paramref name="head"/> in order (§2.7.5: NEXT links, §2.7.5.3:
        /// an INDIRECT descriptor's table followed in its place). A chain that loops or leaves its table is the driver's
        /// bug: a finding.
        /// </summary>
        public List<(ulong Address, int Length, bool Writable)> Chain(int head)
        {
            const ushort Next = 1, Write = 2, Indirect = 4;
            var buffers = new List<(ulong Address, int Length, bool Writable)>();
            ulong table = _addresses.DescriptorTable;
            int tableSize = Size, index = head, steps = 0;
            while (true)
            {
                if ((uint)index >= (uint)tableSize || ++steps > Size + tableSize)
                {
                    throw new FuzzFindingException($"descriptor chain from {head} reaches index {index} of a {tableSize}-entry table after {steps} steps");
                }

                Span<byte> descriptor = At(table + (ulong)(16 * index), 16);
                ulong address = BinaryPrimitives.ReadUInt64LittleEndian(descriptor);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[8..]);
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[12..]);
                if ((flags & Indirect) != 0)
                {
                    if (table != _addresses.DescriptorTable || length == 0 || length % 16 != 0)
                    {
                        throw new FuzzFindingException($"indirect descriptor {index} of {length} bytes (nested, empty or not whole descriptors)");
                    }

                    At(address, (int)length);
                    (table, tableSize, index) = (address, (int)(length / 16), 0);
                    continue;
                }

                At(address, (int)Math.Min(length, int.MaxValue));
                buffers.Add((address, (int)length, (flags & Write) != 0));
                if ((flags & Next) == 0)
                {
                    return buffers;
                }

                index = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[14..]);
            }
        }

        /// <summary>The bytes at <paramref name="address"/>, which must lie in the driver's DMA memory.</summary>
        public Span<byte> Memory(ulong address, int length) => At(address, length);

        /// <summary>Writes a used element in the next slot and (when <paramref name="publish"/>) the used index after it.</summary>
        public void PutUsed(uint id, uint length, bool publish = true)
        {
            Span<byte> used = At(_addresses.DeviceArea, 4 + (8 * Size));
            Span<byte> element = used[(4 + (8 * (UsedIndex % Size)))..];
            BinaryPrimitives.WriteUInt32LittleEndian(element, id);
            BinaryPrimitives.WriteUInt32LittleEndian(element[4..], length);
            UsedIndex++;
            if (publish)
            {
                PublishUsedIndex(UsedIndex);
            }
        }

        /// <summary>Writes the used index (a lying device may move it anywhere).</summary>
        public void PublishUsedIndex(ushort index)
        {
            UsedIndex = index;
            BinaryPrimitives.WriteUInt16LittleEndian(At(_addresses.DeviceArea, 4)[2..], index);
        }

        /// <summary>Sets the used ring's flags (NO_NOTIFY) or, with event index, the avail_event field.</summary>
        public void SetUsedFlags(ushort flags) => BinaryPrimitives.WriteUInt16LittleEndian(At(_addresses.DeviceArea, 2), flags);
    }
}
