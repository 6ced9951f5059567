using System;
using System.Buffers.Binary;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Net.VirtioNetRegisters;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>The transmit half: frames copied into transmit buffers behind a header, buffers reclaimed as the device returns them.</summary>
    public sealed partial class VirtioNetDevice
    {

        /// <summary>
        /// Copies <paramref name="frame"/> (Ethernet header first, no FCS) into a transmit buffer and
        /// hands it to the device, computing nothing; false when every transmit buffer is in flight
        /// (or the device broke the queue).
        /// </summary>
        /// <exception cref="ArgumentException">The frame is shorter than an Ethernet header or longer than <see cref="MaxFrameLength"/>.</exception>
        public bool TrySend(ReadOnlySpan<byte> frame) => Send(frame, 0, 0, 0);

        /// <summary>
        /// As <see cref="TrySend(ReadOnlySpan{byte})"/>, with the transport checksum at
        /// <paramref name="checksumStart"/> + <paramref name="checksumOffset"/> left for the device
        /// (NEEDS_CSUM, §5.1.6.2) when CSUM was negotiated, else computed here.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The checksum field does not lie inside the frame.</exception>
        /// <exception cref="ArgumentException">The frame is shorter than an Ethernet header or longer than <see cref="MaxFrameLength"/>.</exception>
        public bool TrySend(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset)
        {
            if (!VirtioNetChecksum.FitsInFrame(checksumStart, checksumOffset, frame.Length))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(checksumStart), $"virtio-net: a checksum at {checksumStart}+{checksumOffset} does not fit a frame of {frame.Length} bytes");
            }

            return Send(frame, FlagNeedsCsum, checksumStart, checksumOffset);
        }

        /// <summary>Takes back the transmit buffers the device is done with; returns how many.</summary>
        public int ReclaimTransmitBuffers()
        {
            int reclaimed = 0;
            while (_transmitQueue.TryTakeNextCompletion(out VirtqueueCompletion completion))
            {
                int index = _transmitBuffers.Reclaim(completion.Token);
                if (!completion.IsSuccess)
                {
                    if (_transmitQueue.IsBroken)
                    {
                        // The frames in flight may or may not have left; none will come back.
                        _counters.DroppedQueueBroken();
                        Fault(VirtioNetFault.TransmitQueueBroken, (_transmitQueue.Error ?? completion.Error) + "; sending stops until the device is reset");
                    }
                    else
                    {
                        // A transmit buffer has nothing device-writable: the device claimed to write into it. The frame was sent.
                        Fault(VirtioNetFault.TransmitLength, completion.Error ?? "device returned a transmit buffer impossibly");
                    }
                }

                if (index >= 0)
                {
                    _transmitBuffers.Return(index);
                    reclaimed++;
                }
            }

            return reclaimed;
        }

        private bool Send(ReadOnlySpan<byte> frame, byte flags, int checksumStart, int checksumOffset)
        {
            if (frame.Length < EthernetHeaderLength || frame.Length > MaxFrameLength)
            {
                throw new ArgumentException($"virtio-net: a frame of {frame.Length} bytes is not {EthernetHeaderLength}..{MaxFrameLength} bytes (mtu {Mtu})", nameof(frame));
            }

            if (IsDetached)
            {
                return false;
            }

            ReclaimTransmitBuffers();
            if (_transmitQueue.IsBroken)
            {
                _counters.DroppedQueueBroken();
                return false;
            }

            int index = _transmitBuffers.Take();
            if (index < 0)
            {
                _counters.TransmitQueueFull();
                return false;
            }

            // §5.1.6.2: flags and checksum fields as asked, no GSO, num_buffers 0; the frame follows the header.
            DmaBuffer memory = _transmitBuffers[index];
            Span<byte> header = memory.Span[..HeaderLength];
            header.Clear();
            header[HeaderGsoType] = GsoNone;
            Span<byte> data = memory.Span.Slice(HeaderLength, frame.Length);
            frame.CopyTo(data);
            if ((flags & FlagNeedsCsum) != 0)
            {
                if (OffloadsTransmitChecksum)
                {
                    header[HeaderFlags] = FlagNeedsCsum;
                    BinaryPrimitives.WriteUInt16LittleEndian(header[HeaderCsumStart..], (ushort)checksumStart);
                    BinaryPrimitives.WriteUInt16LittleEndian(header[HeaderCsumOffset..], (ushort)checksumOffset);
                }
                else
                {
                    VirtioNetChecksum.Complete(data, checksumStart, checksumOffset);
                }
            }

            int count = 1;
            if (SeparateTransmitHeader)
            {
                // §5.1.6.6: a legacy device without ANY_LAYOUT wants the header in a descriptor of its own.
                _chain[0] = memory.Slice(0, HeaderLength);
                _chain[1] = memory.Slice(HeaderLength, frame.Length);
                count = 2;
            }
            else
            {
                _chain[0] = memory.Slice(0, HeaderLength + frame.Length);
            }

            VirtqueueSubmitStatus status = _transmitQueue.Submit(_chain.AsSpan(0, count), ReadOnlySpan<DmaBuffer>.Empty, out int token);
            if (status != VirtqueueSubmitStatus.Submitted)
            {
                _transmitBuffers.Return(index);
                if (status == VirtqueueSubmitStatus.QueueFull)
                {
                    _counters.TransmitQueueFull();
                }
                else
                {
                    _counters.DroppedQueueBroken();
                }

                return false;
            }

            _transmitBuffers.Lend(index, token);
            _transmitQueue.NotifyDevice();
            _counters.FrameSent(frame.Length);
            return true;
        }
    }
}
