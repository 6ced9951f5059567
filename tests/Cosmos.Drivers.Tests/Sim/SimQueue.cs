using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// One queue seen from the device: reads the available ring and descriptor chains (direct and
    /// indirect) from DMA memory, runs a handler (by default "echo": readable bytes copied into the
    /// writable buffers), writes the used ring, and decides on interrupts as §2.7.7.2 says. Tests can
    /// also fetch without completing, complete out of order, or write lies into the used ring.
    /// </summary>
    internal sealed class SimQueue
    {
        private readonly SimDevice _device;
        private ushort _lastSignalledUsed;

        public SimQueue(SimDevice device, int index, int maxSize)
        {
            _device = device;
            Index = index;
            MaxSize = maxSize;
            Reset();
        }

        public int Index { get; }

        public int MaxSize { get; set; }

        public int Size { get; set; }

        public ulong DescriptorTable { get; set; }

        public ulong DriverArea { get; set; }

        public ulong DeviceArea { get; set; }

        public bool Ready { get; set; }

        public ushort Vector { get; set; }

        public ushort NotifyOff { get; set; }

        public int Notifications { get; set; }

        public int InterruptsSignalled { get; private set; }

        /// <summary>The device's next available-ring position (last_avail_idx).</summary>
        public ushort NextAvail { get; private set; }

        /// <summary>The device's used index.</summary>
        public ushort UsedIndex { get; private set; }

        /// <summary>Without EVENT_IDX: set the used ring's NO_NOTIFY flag.</summary>
        public bool SuppressNotifications { get; set; }

        /// <summary>With EVENT_IDX: avail_event = next position + this (0 = notify on the next buffer).</summary>
        public int AvailEventLead { get; set; }

        public List<SimRequest> Pending { get; } = new();

        public List<SimRequest> Seen { get; } = new();

        /// <summary>Writes the response into the request's buffers; returns the used length.</summary>
        public Func<SimRequest, uint> Handler { get; set; } = _ => 0;

        /// <summary>The handler a reset installs (null: echo); devices whose driver talks during start set it.</summary>
        public Func<SimRequest, uint>? HandlerAfterReset { get; set; }

        public bool IsLive => Ready && DescriptorTable != 0;

        public void Reset()
        {
            Size = MaxSize;
            DescriptorTable = DriverArea = DeviceArea = 0;
            Ready = false;
            Vector = SimDevice.NoVector;
            NextAvail = UsedIndex = _lastSignalledUsed = 0;
            Pending.Clear();
            Handler = HandlerAfterReset ?? Echo;
        }

        /// <summary>Legacy layouts (§2.7.2): the rings follow from the descriptor table's address.</summary>
        public void SetLegacyLayout(ulong descriptorTable, int alignment)
        {
            ulong align = (ulong)alignment;
            DescriptorTable = descriptorTable;
            DriverArea = descriptorTable + (16UL * (ulong)Size);
            DeviceArea = (DriverArea + 6UL + (2UL * (ulong)Size) + align - 1) & ~(align - 1);
            Ready = descriptorTable != 0;
        }

        public void ProcessAll()
        {
            Fetch();
            CompleteAllPending();
        }

        /// <summary>Takes every new available entry into <see cref="Pending"/>; returns how many.</summary>
        public int Fetch()
        {
            ushort availIndex = ReadU16(DriverArea + 2);
            int fetched = 0;
            while (NextAvail != availIndex)
            {
                ushort head = ReadU16(DriverArea + 4 + (2UL * (ulong)(NextAvail % Size)));
                SimRequest request = Parse(head);
                Pending.Add(request);
                Seen.Add(request);
                NextAvail++;
                fetched++;
                if (fetched > Size)
                {
                    _device.Violation($"queue {Index}: available index moved by more than the queue size");
                    break;
                }
            }

            // §2.7.10: the device's half of available buffer notification suppression.
            if (_device.EventIndexNegotiated)
            {
                WriteU16(DeviceArea + 4 + (8UL * (ulong)Size), (ushort)(NextAvail + AvailEventLead));
            }
            else
            {
                WriteU16(DeviceArea, (ushort)(SuppressNotifications ? 1 : 0));
            }

            return fetched;
        }

        public void CompleteAllPending()
        {
            while (Pending.Count > 0)
            {
                Complete(Pending[0], signal: false);
            }

            MaybeSignal();
        }

        /// <summary>Runs the handler on <paramref name="request"/>, writes its used element, and (optionally) interrupts.</summary>
        public void Complete(SimRequest request, uint? reportedLength = null, bool signal = true)
        {
            Pending.Remove(request);
            uint written = Handler(request);
            WriteUsed(request.Head, reportedLength ?? written);
            if (signal)
            {
                MaybeSignal();
            }
        }

        /// <summary>Appends a used element, true or not, and publishes the index.</summary>
        public void WriteUsed(uint id, uint length)
        {
            ulong element = DeviceArea + 4 + (8UL * (ulong)(UsedIndex % Size));
            WriteU32(element, id);
            WriteU32(element + 4, length);
            UsedIndex++;
            WriteU16(DeviceArea + 2, UsedIndex);
        }

        /// <summary>Writes any used index (a lying device).</summary>
        public void SetUsedIndex(ushort index)
        {
            UsedIndex = index;
            WriteU16(DeviceArea + 2, index);
        }

        /// <summary>§2.7.7.2: with EVENT_IDX interrupt when used_event was passed, else unless NO_INTERRUPT is set.</summary>
        public void MaybeSignal()
        {
            ushort old = _lastSignalledUsed;
            ushort now = UsedIndex;
            if (old == now)
            {
                return;
            }

            bool signal;
            if (_device.EventIndexNegotiated)
            {
                ushort usedEvent = ReadU16(DriverArea + 4 + (2UL * (ulong)Size));
                signal = (ushort)(now - usedEvent - 1) < (ushort)(now - old);
            }
            else
            {
                signal = (ReadU16(DriverArea) & 1) == 0;
            }

            _lastSignalledUsed = now;
            if (signal)
            {
                InterruptsSignalled++;
                _device.SignalUsed(this);
            }
        }

        public ushort ReadAvailFlags() => ReadU16(DriverArea);

        public ushort ReadUsedEvent() => ReadU16(DriverArea + 4 + (2UL * (ulong)Size));

        /// <summary>Overwrites a descriptor of the table (a device scribbling where it must not).</summary>
        public void ScribbleDescriptor(int index, ulong address, uint length, ushort flags, ushort next)
        {
            Span<byte> descriptor = _device.Memory.DeviceView(DescriptorTable + (16UL * (ulong)index), 16);
            BinaryPrimitives.WriteUInt64LittleEndian(descriptor, address);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor.Slice(8), length);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor.Slice(12), flags);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor.Slice(14), next);
        }

        /// <summary>The default device: copies the readable bytes into the writable buffers, in order.</summary>
        public uint Echo(SimRequest request)
        {
            var data = new List<byte>();
            foreach (SimSegment segment in request.Segments)
            {
                if (!segment.Writable)
                {
                    data.AddRange(_device.Memory.DeviceView(segment.Address, (int)segment.Length).ToArray());
                }
            }

            int copied = 0;
            foreach (SimSegment segment in request.Segments)
            {
                if (segment.Writable && copied < data.Count)
                {
                    int n = Math.Min((int)segment.Length, data.Count - copied);
                    data.GetRange(copied, n).ToArray().CopyTo(_device.Memory.DeviceView(segment.Address, n));
                    copied += n;
                }
            }

            return (uint)copied;
        }

        private SimRequest Parse(ushort head)
        {
            var request = new SimRequest(head);
            if (head >= Size)
            {
                _device.Violation($"queue {Index}: available ring names descriptor {head}, queue size {Size}");
                return request;
            }

            ulong table = DescriptorTable;
            int tableSize = Size;
            int index = head;
            bool inIndirect = false;
            bool seenWritable = false;
            for (int steps = 0; ; steps++)
            {
                if (steps > Size)
                {
                    _device.Violation($"queue {Index}: descriptor chain from {head} loops");
                    return request;
                }

                Span<byte> descriptor = _device.Memory.DeviceView(table + (16UL * (ulong)index), 16);
                ulong address = BinaryPrimitives.ReadUInt64LittleEndian(descriptor);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(descriptor.Slice(8));
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(descriptor.Slice(12));
                ushort next = BinaryPrimitives.ReadUInt16LittleEndian(descriptor.Slice(14));
                if ((flags & 4) != 0)
                {
                    if (inIndirect || (flags & 1) != 0 || !_device.IndirectNegotiated || length % 16 != 0 || length == 0)
                    {
                        _device.Violation($"queue {Index}: bad indirect descriptor (flags 0x{flags:x}, length {length})");
                        return request;
                    }

                    request.Indirect = true;
                    inIndirect = true;
                    table = address;
                    tableSize = (int)(length / 16);
                    index = 0;
                    continue;
                }

                bool writable = (flags & 2) != 0;
                if (!writable && seenWritable)
                {
                    _device.Violation($"queue {Index}: readable buffer after a writable one in chain {head}");
                }

                seenWritable |= writable;
                _device.Memory.DeviceView(address, (int)length); // the buffer must be DMA memory
                request.Segments.Add(new SimSegment(address, length, writable));
                if ((flags & 1) == 0)
                {
                    return request;
                }

                if (next >= tableSize)
                {
                    _device.Violation($"queue {Index}: next {next} beyond a table of {tableSize}");
                    return request;
                }

                index = next;
            }
        }

        private ushort ReadU16(ulong address) => BinaryPrimitives.ReadUInt16LittleEndian(_device.Memory.DeviceView(address, 2));

        private void WriteU16(ulong address, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(_device.Memory.DeviceView(address, 2), value);

        private void WriteU32(ulong address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_device.Memory.DeviceView(address, 4), value);
    }
}
