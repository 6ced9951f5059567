using System;
using System.Buffers.Binary;
using System.Threading;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.E1000.E1000Registers;

namespace Cosmos.Drivers.E1000
{
    /// <summary>The transmit half: frames copied into per-descriptor buffers, descriptors reclaimed once the device sets DD.</summary>
    public sealed partial class E1000Device
    {
        private readonly DmaBuffer _transmitRing;
        private readonly DmaBuffer _transmitBuffers;
        private int _transmitTail;
        private int _transmitClean;
        private int _transmitsInFlight;

        /// <summary>Frames handed to the device whose descriptors it has not reported done.</summary>
        public int TransmitsInFlight => _transmitsInFlight;

        /// <summary>
        /// Copies <paramref name="frame"/> (Ethernet header first, no FCS: the device appends it) into a
        /// transmit buffer and moves TDT past its descriptor; false when the ring is full.
        /// </summary>
        /// <exception cref="ArgumentException">The frame is shorter than an Ethernet header or longer than <see cref="MaxFrameLength"/>.</exception>
        public bool TrySend(ReadOnlySpan<byte> frame) => Send(frame, -1, 0);

        /// <summary>As <see cref="TrySend(ReadOnlySpan{byte})"/>, with the transport checksum computed here (no offload).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The checksum field does not lie inside the frame.</exception>
        /// <exception cref="ArgumentException">The frame is shorter than an Ethernet header or longer than <see cref="MaxFrameLength"/>.</exception>
        public bool TrySend(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset)
        {
            if (checksumStart < 0 || checksumOffset < 0 || (long)checksumStart + checksumOffset + 2 > frame.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(checksumStart), $"e1000: a checksum at {checksumStart}+{checksumOffset} does not fit a frame of {frame.Length} bytes");
            }

            return Send(frame, checksumStart, checksumOffset);
        }

        private bool Send(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset)
        {
            if (frame.Length < EthernetHeaderLength || frame.Length > MaxFrameLength)
            {
                throw new ArgumentException($"e1000: a frame of {frame.Length} bytes is outside {EthernetHeaderLength}..{MaxFrameLength}", nameof(frame));
            }

            ReclaimTransmitted();

            // TDT == TDH means an empty ring (§3.3.1), so one descriptor always stays unused.
            if (_transmitsInFlight == RingSize - 1)
            {
                _counters.TransmitQueueFull();
                return false;
            }

            int index = _transmitTail;
            DmaBuffer memory = _transmitBuffers.Slice(index * BufferLength, frame.Length);
            frame.CopyTo(memory.Span);
            if (checksumStart >= 0)
            {
                Span<byte> copy = memory.Span;
                BinaryPrimitives.WriteUInt16BigEndian(copy[(checksumStart + checksumOffset)..], InternetChecksum.Compute(copy[checksumStart..]));
            }

            Span<byte> descriptor = TransmitDescriptor(index);
            descriptor.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(descriptor, memory.PhysicalAddress);
            BinaryPrimitives.WriteUInt16LittleEndian(descriptor[E1000TransmitDescriptor.LengthOffset..], (ushort)frame.Length);
            descriptor[E1000TransmitDescriptor.CommandOffset] =
                E1000TransmitDescriptor.CommandEop | E1000TransmitDescriptor.CommandIfcs | E1000TransmitDescriptor.CommandRs;

            _transmitTail = (index + 1) % RingSize;
            _transmitsInFlight++;
            _counters.FrameSent(frame.Length);
            _registers.Write32(Tdt, (uint)_transmitTail);
            return true;
        }

        // Descriptors are done in order; RS on each makes the device write DD back (§3.3.3.2).
        private void ReclaimTransmitted()
        {
            while (_transmitsInFlight > 0)
            {
                int offset = (_transmitClean * E1000TransmitDescriptor.Size) + E1000TransmitDescriptor.StatusOffset;
                if ((Volatile.Read(ref _transmitRing.Span[offset]) & E1000TransmitDescriptor.StatusDd) == 0)
                {
                    return;
                }

                TransmitDescriptor(_transmitClean).Clear();
                _transmitClean = (_transmitClean + 1) % RingSize;
                _transmitsInFlight--;
            }
        }

        // §14.5: ring base and length, head = tail = 0, then TCTL (enable, pad short packets, CT, COLD) and TIPG.
        private void StartTransmit()
        {
            _transmitRing.Span.Clear();
            _registers.Write32(Tdbal, (uint)_transmitRing.PhysicalAddress);
            _registers.Write32(Tdbah, (uint)(_transmitRing.PhysicalAddress >> 32));
            _registers.Write32(Tdlen, (uint)_transmitRing.Length);
            _registers.Write32(Tdh, 0);
            _registers.Write32(Tdt, 0);
            _registers.Write32(Tctl, TctlEn | TctlPsp | (TctlCt << TctlCtShift) | (TctlCold << TctlColdShift));
            _registers.Write32(Tipg, TipgValue);
        }

        private Span<byte> TransmitDescriptor(int index) =>
            _transmitRing.Span.Slice(index * E1000TransmitDescriptor.Size, E1000TransmitDescriptor.Size);
    }
}
