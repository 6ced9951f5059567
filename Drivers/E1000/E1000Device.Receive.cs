using System;
using System.Buffers.Binary;
using System.Threading;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.E1000.E1000Registers;

namespace Cosmos.Drivers.E1000
{
    /// <summary>The receive half: every descriptor but one posted with a 2 KiB buffer, frames copied out and their descriptors handed back through RDT.</summary>
    public sealed partial class E1000Device
    {
        private readonly DmaBuffer _receiveRing;
        private readonly DmaBuffer _receiveBuffers;
        private int _receiveNext;
        private bool _discardingLongFrame;

        /// <summary>True when the descriptor at the head of the driver's side of the ring is done (DD set).</summary>
        public bool HasFrameWaiting => (ReceiveStatus(_receiveNext) & E1000ReceiveDescriptor.StatusDd) != 0;

        /// <summary>The receive descriptor the driver looks at next (tests).</summary>
        internal int ReceiveNext => _receiveNext;

        /// <inheritdoc />
        public int TryReceive(Span<byte> buffer) => TryReceive(buffer, out _);

        /// <summary>
        /// Takes the next received frame into <paramref name="buffer"/> and gives its descriptor back to
        /// the device; returns its length, or 0 when none is waiting. A frame that spread over more than
        /// one buffer or is longer than <see cref="MaxFrameLength"/>, one the device flagged with a
        /// receive error, or one longer than <paramref name="buffer"/> is dropped and counted in
        /// <see cref="Statistics"/>, and the next one is taken. <paramref name="checksumValid"/> is
        /// always false (receive checksum offload is left off).
        /// </summary>
        public int TryReceive(Span<byte> buffer, out bool checksumValid)
        {
            checksumValid = false;
            while (true)
            {
                int index = _receiveNext;
                byte status = ReceiveStatus(index);
                if ((status & E1000ReceiveDescriptor.StatusDd) == 0)
                {
                    return 0;
                }

                Span<byte> descriptor = ReceiveDescriptor(index);
                int length = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[E1000ReceiveDescriptor.LengthOffset..]);
                byte errors = descriptor[E1000ReceiveDescriptor.ErrorsOffset];
                int taken = 0;
                if ((status & E1000ReceiveDescriptor.StatusEop) == 0)
                {
                    // §3.2.4: a frame longer than one buffer goes on in the next descriptor; all of it is dropped at its EOP.
                    _discardingLongFrame = true;
                }
                else if (_discardingLongFrame)
                {
                    _discardingLongFrame = false;
                    _counters.DroppedOversize();
                }
                else if ((errors & E1000ReceiveDescriptor.ErrorsFrame) != 0 || length == 0 || length > BufferLength)
                {
                    _counters.DroppedDeviceError();
                }
                else if (length > MaxFrameLength)
                {
                    _counters.DroppedOversize();
                }
                else if (length > buffer.Length)
                {
                    _counters.DroppedBufferTooSmall();
                }
                else
                {
                    _receiveBuffers.Slice(index * BufferLength, length).Span.CopyTo(buffer);
                    _counters.FrameReceived(length);
                    taken = length;
                }

                Repost(index);
                if (taken > 0)
                {
                    return taken;
                }
            }
        }

        // §14.4: descriptor base, length, head 0 and tail at the last descriptor (the device owns head..tail-1),
        // no receive delay, then RCTL: broadcasts accepted, CRC stripped, 2 KiB buffers, no long frames.
        private void StartReceive()
        {
            for (int index = 0; index < RingSize; index++)
            {
                WriteReceiveDescriptor(index);
            }

            _registers.Write32(Rdbal, (uint)_receiveRing.PhysicalAddress);
            _registers.Write32(Rdbah, (uint)(_receiveRing.PhysicalAddress >> 32));
            _registers.Write32(Rdlen, (uint)_receiveRing.Length);
            _registers.Write32(Rdh, 0);
            _registers.Write32(Rdt, RingSize - 1);
            _registers.Write32(Rdtr, 0);
            _registers.Write32(Rctl, RctlEn | RctlBam | RctlSecrc | RctlBsize2048);
        }

        // The descriptor goes back to the device: cleared, its buffer address rewritten, and RDT moved onto it.
        private void Repost(int index)
        {
            WriteReceiveDescriptor(index);
            _receiveNext = (index + 1) % RingSize;
            _registers.Write32(Rdt, (uint)index);
        }

        private void WriteReceiveDescriptor(int index)
        {
            Span<byte> descriptor = ReceiveDescriptor(index);
            descriptor.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(descriptor, _receiveBuffers.PhysicalAddress + (ulong)(index * BufferLength));
        }

        private Span<byte> ReceiveDescriptor(int index) =>
            _receiveRing.Span.Slice(index * E1000ReceiveDescriptor.Size, E1000ReceiveDescriptor.Size);

        // The device writes the status byte last (§3.2.3): read it before anything else of the descriptor.
        private byte ReceiveStatus(int index) =>
            Volatile.Read(ref _receiveRing.Span[(index * E1000ReceiveDescriptor.Size) + E1000ReceiveDescriptor.StatusOffset]);
    }
}
