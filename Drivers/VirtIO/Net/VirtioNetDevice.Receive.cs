using System;
using System.Buffers.Binary;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Net.VirtioNetRegisters;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>The receive half: buffers posted ahead, frames assembled from the used ring and copied out.</summary>
    public sealed partial class VirtioNetDevice
    {
        // The buffers of the frame being assembled (one, or num_buffers with MRG_RXBUF) and their used lengths.
        private readonly int[] _frameBuffers;
        private readonly int[] _frameLengths;
        private int _frameBufferCount;
        private int _frameBuffersExpected;
        private byte _frameFlags;
        private int _frameChecksumStart;
        private int _frameChecksumOffset;
        private bool _receiveNeedsNotify;

        /// <inheritdoc />
        public bool HasFrameWaiting
        {
            get
            {
                _receiveQueue.Poll();
                int needed = _frameBufferCount > 0 ? _frameBuffersExpected - _frameBufferCount : 1;
                return _receiveQueue.CompletedCount >= needed;
            }
        }

        /// <inheritdoc />
        public int TryReceive(Span<byte> buffer) => TryReceive(buffer, out _);

        /// <summary>
        /// Takes the next received frame into <paramref name="buffer"/> and reposts its receive buffers;
        /// returns its length, or 0 when no whole frame is waiting. A frame longer than
        /// <paramref name="buffer"/> or than <see cref="MaxFrameLength"/>, or one the device described
        /// impossibly, is dropped and counted in <see cref="Statistics"/>, and the next one is taken.
        /// <paramref name="checksumValid"/> is true when the device set DATA_VALID, or left the checksum
        /// partial (NEEDS_CSUM with GUEST_CSUM: the driver completed it here).
        /// </summary>
        public int TryReceive(Span<byte> buffer, out bool checksumValid)
        {
            checksumValid = false;
            if (IsDetached)
            {
                return 0;
            }

            try
            {
                while (TakeFrame())
                {
                    int length = CopyFrame(buffer, out checksumValid);
                    RecycleFrame();
                    if (length > 0)
                    {
                        return length;
                    }
                }

                return 0;
            }
            finally
            {
                if (_receiveNeedsNotify)
                {
                    _receiveNeedsNotify = false;
                    _receiveQueue.NotifyDevice();
                }
            }
        }

        // Every free buffer to the device (start-up, and after a queue refused one).
        private void PostReceiveBuffers()
        {
            for (int index = _receiveBuffers.Take(); index >= 0; index = _receiveBuffers.Take())
            {
                PostReceiveBuffer(index);
                if (_receiveQueue.IsBroken)
                {
                    break;
                }
            }
        }

        // §5.1.6.3: a buffer of header then data, device-writable; the header in a descriptor of its own
        // on a legacy device without ANY_LAYOUT or MRG_RXBUF (§5.1.6.6), one descriptor otherwise.
        private void PostReceiveBuffer(int index)
        {
            DmaBuffer memory = _receiveBuffers[index];
            int count = 1;
            if (SeparateReceiveHeader)
            {
                _chain[0] = memory.Slice(0, HeaderLength);
                _chain[1] = memory.Slice(HeaderLength, memory.Length - HeaderLength);
                count = 2;
            }
            else
            {
                _chain[0] = memory;
            }

            VirtqueueSubmitStatus status = _receiveQueue.Submit(ReadOnlySpan<DmaBuffer>.Empty, _chain.AsSpan(0, count), out int token);
            if (status != VirtqueueSubmitStatus.Submitted)
            {
                _receiveBuffers.Return(index);
                return;
            }

            _receiveBuffers.Lend(index, token);
            _receiveNeedsNotify = true;
        }

        // Collects used buffers until one whole frame is assembled (true) or the used ring is empty
        // (false; a partly assembled frame waits for its other buffers). Buffers the device returned
        // impossibly are dropped with their frame and reposted.
        private bool TakeFrame()
        {
            while (_receiveQueue.TryTakeNextCompletion(out VirtqueueCompletion completion))
            {
                int index = _receiveBuffers.Reclaim(completion.Token);
                if (index < 0)
                {
                    continue;
                }

                if (!completion.IsSuccess)
                {
                    ReceiveFault(completion);
                    PostReceiveBuffer(index);
                    continue;
                }

                int used = (int)completion.WrittenLength;
                if (_frameBufferCount == 0 && !StartFrame(index, used))
                {
                    _counters.DroppedDeviceError();
                    PostReceiveBuffer(index);
                    continue;
                }

                _frameBuffers[_frameBufferCount] = index;
                _frameLengths[_frameBufferCount] = used;
                _frameBufferCount++;
                if (_frameBufferCount == _frameBuffersExpected)
                {
                    return true;
                }
            }

            return false;
        }

        // The first buffer of a frame: its header says how many buffers the frame has (§5.1.6.4).
        private bool StartFrame(int index, int used)
        {
            if (used < HeaderLength)
            {
                Fault(VirtioNetFault.ReceiveShorterThanHeader, $"device returned a receive buffer with {used} bytes, shorter than the {HeaderLength}-byte header");
                return false;
            }

            ReadOnlySpan<byte> header = _receiveBuffers[index].Span;
            int expected = 1;
            if (MergeableReceiveBuffers)
            {
                expected = BinaryPrimitives.ReadUInt16LittleEndian(header[HeaderNumBuffers..]);
                if (expected < 1 || expected > _receiveBuffers.Count)
                {
                    Fault(VirtioNetFault.ReceiveBufferCount, $"device gave num_buffers {expected}, the driver has {_receiveBuffers.Count} receive buffers");
                    return false;
                }
            }

            _frameBuffersExpected = expected;
            _frameFlags = header[HeaderFlags];
            _frameChecksumStart = BinaryPrimitives.ReadUInt16LittleEndian(header[HeaderCsumStart..]);
            _frameChecksumOffset = BinaryPrimitives.ReadUInt16LittleEndian(header[HeaderCsumOffset..]);
            return true;
        }

        // Copies the assembled frame out; 0 when it is dropped (counted).
        private int CopyFrame(Span<byte> destination, out bool checksumValid)
        {
            checksumValid = false;
            long total = -HeaderLength;
            for (int i = 0; i < _frameBufferCount; i++)
            {
                total += _frameLengths[i];
            }

            if (total > MaxFrameLength)
            {
                _counters.DroppedOversize();
                return 0;
            }

            int length = (int)total;
            if (length < EthernetHeaderLength)
            {
                Fault(VirtioNetFault.ReceiveRunt, $"device delivered a frame of {length} bytes, shorter than an Ethernet header");
                _counters.DroppedDeviceError();
                return 0;
            }

            if (length > destination.Length)
            {
                _counters.DroppedBufferTooSmall();
                return 0;
            }

            int at = 0;
            for (int i = 0; i < _frameBufferCount; i++)
            {
                int skip = i == 0 ? HeaderLength : 0;
                ReadOnlySpan<byte> piece = _receiveBuffers[_frameBuffers[i]].Span[skip.._frameLengths[i]];
                piece.CopyTo(destination[at..]);
                at += piece.Length;
            }

            // §5.1.6.4: NEEDS_CSUM leaves the checksum partial (the frame came from this host and is
            // intact); completing it here hands the stack an ordinary frame.
            if ((_frameFlags & FlagNeedsCsum) != 0)
            {
                if (!VirtioNetChecksum.FitsInFrame(_frameChecksumStart, _frameChecksumOffset, length))
                {
                    Fault(VirtioNetFault.ReceiveChecksumPosition, $"device asked for a checksum at {_frameChecksumStart}+{_frameChecksumOffset} in a frame of {length} bytes");
                    _counters.DroppedDeviceError();
                    return 0;
                }

                VirtioNetChecksum.Complete(destination[..length], _frameChecksumStart, _frameChecksumOffset);
                checksumValid = true;
            }

            // DATA_VALID is honoured with or without GUEST_CSUM (the 2024 correction of §5.1.6.4).
            checksumValid |= (_frameFlags & FlagDataValid) != 0;
            _counters.FrameReceived(length);
            return length;
        }

        private void RecycleFrame()
        {
            for (int i = 0; i < _frameBufferCount; i++)
            {
                PostReceiveBuffer(_frameBuffers[i]);
            }

            _frameBufferCount = 0;
            _frameBuffersExpected = 0;
        }

        // A used element the queue refused: a length beyond the buffer drops that frame; a broken queue
        // (every buffer in flight fails with it) is counted and reported once.
        private void ReceiveFault(in VirtqueueCompletion completion)
        {
            RecycleFrame();
            if (_receiveQueue.IsBroken)
            {
                if (!HasReported(VirtioNetFault.ReceiveQueueBroken))
                {
                    _counters.DroppedQueueBroken();
                    Fault(VirtioNetFault.ReceiveQueueBroken, (_receiveQueue.Error ?? completion.Error) + "; receiving stops until the device is reset");
                }

                return;
            }

            _counters.DroppedDeviceError();
            Fault(VirtioNetFault.ReceiveLengthTooLong, completion.Error ?? "device returned a receive buffer impossibly");
        }
    }
}
