using System;
using System.Buffers.Binary;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Block.VirtioBlockRegisters;

namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>The asynchronous half: requests posted into slots, collected by ticket.</summary>
    public sealed partial class VirtioBlockDevice
    {
        /// <summary>
        /// Posts a read of whole blocks into the caller's DMA memory, <paramref name="buffers"/> in
        /// order, as one request whose data segments are split to SIZE_MAX. Collect it with
        /// <see cref="Complete"/> or <see cref="TryComplete"/>; the buffers belong to the device until then.
        /// </summary>
        /// <exception cref="ArgumentException">The buffers are not whole blocks, are over <see cref="MaxTransferBytes"/>, or need more than SEG_MAX segments.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The blocks are beyond the end of the disk.</exception>
        public VirtioBlockSubmitStatus SubmitRead(ulong firstBlock, ReadOnlySpan<DmaBuffer> buffers, out int ticket) =>
            SubmitData(TypeIn, firstBlock, buffers, deviceWrites: true, out ticket);

        /// <summary>Posts a read into one DMA buffer; see <see cref="SubmitRead(ulong, ReadOnlySpan{DmaBuffer}, out int)"/>.</summary>
        public VirtioBlockSubmitStatus SubmitRead(ulong firstBlock, DmaBuffer buffer, out int ticket) =>
            SubmitData(TypeIn, firstBlock, new ReadOnlySpan<DmaBuffer>(in buffer), deviceWrites: true, out ticket);

        /// <summary>Posts a write of whole blocks from the caller's DMA memory (scatter-gather, as for reads).</summary>
        public VirtioBlockSubmitStatus SubmitWrite(ulong firstBlock, ReadOnlySpan<DmaBuffer> buffers, out int ticket)
        {
            ticket = -1;
            return IsReadOnly ? VirtioBlockSubmitStatus.ReadOnly : SubmitData(TypeOut, firstBlock, buffers, deviceWrites: false, out ticket);
        }

        /// <summary>Posts a write from one DMA buffer.</summary>
        public VirtioBlockSubmitStatus SubmitWrite(ulong firstBlock, DmaBuffer buffer, out int ticket) =>
            SubmitWrite(firstBlock, new ReadOnlySpan<DmaBuffer>(in buffer), out ticket);

        /// <summary>Posts a FLUSH (§5.2.6); without the FLUSH feature the device writes through and the ticket completes at once.</summary>
        public VirtioBlockSubmitStatus SubmitFlush(out int ticket)
        {
            if (!SupportsFlush)
            {
                int slot = TakeFreeSlot();
                ticket = slot;
                if (slot < 0)
                {
                    return VirtioBlockSubmitStatus.Busy;
                }

                _slots[slot].State = VirtioBlockSlotState.Done;
                _slots[slot].Result = BlockResult.Ok;
                return VirtioBlockSubmitStatus.Submitted;
            }

            return Post(TypeFlush, 0, ReadOnlySpan<DmaBuffer>.Empty, deviceWrites: false, 0, out ticket);
        }

        /// <summary>Posts one DISCARD segment (at most <see cref="VirtioBlockLimits.MaxDiscardSectors"/>).</summary>
        public VirtioBlockSubmitStatus SubmitDiscard(ulong firstBlock, ulong blockCount, out int ticket) =>
            SubmitRangeCommand(TypeDiscard, firstBlock, blockCount, out ticket);

        /// <summary>Posts one WRITE_ZEROES segment (at most <see cref="VirtioBlockLimits.MaxWriteZeroesSectors"/>).</summary>
        public VirtioBlockSubmitStatus SubmitWriteZeroes(ulong firstBlock, ulong blockCount, out int ticket) =>
            SubmitRangeCommand(TypeWriteZeroes, firstBlock, blockCount, out ticket);

        /// <summary>Collects <paramref name="ticket"/> if the device finished it (the slot is then free). False while in flight.</summary>
        /// <exception cref="InvalidOperationException">The ticket is not an outstanding request.</exception>
        public bool TryComplete(int ticket, out BlockResult result)
        {
            VirtioBlockSlot slot = OutstandingSlot(ticket);
            Harvest();
            result = BlockResult.DeviceFailed;
            if (slot.State == VirtioBlockSlotState.InFlight)
            {
                if (!_queue.IsBroken)
                {
                    return false;
                }

                // The queue is broken: this request will never complete. Its descriptors are lost with the queue.
                slot.Release();
                return true;
            }

            result = slot.Result;
            if (result is BlockResult.IoError or BlockResult.DeviceFailed)
            {
                ReportFailedRequest(slot, result);
            }

            slot.Release();
            return true;
        }

        /// <summary>Waits for <paramref name="ticket"/> (sleeping between interrupts where there are any) and collects it.</summary>
        /// <exception cref="InvalidOperationException">The ticket is not an outstanding request.</exception>
        public BlockResult Complete(int ticket)
        {
            VirtioBlockSlot slot = OutstandingSlot(ticket);
            if (slot.State == VirtioBlockSlotState.InFlight)
            {
                bool interruptDriven = InterruptMode != InterruptMode.Polled;
                _waiter.WaitUntil(slot.IsSettled!, interruptDriven);
            }

            TryComplete(ticket, out BlockResult result);
            return result;
        }

        private BlockResult CompleteInto(int ticket, Span<byte> destination)
        {
            VirtioBlockSlot slot = _slots[ticket];
            BlockResult result = Complete(ticket);
            if (result == BlockResult.Ok && !destination.IsEmpty)
            {
                slot.Bounce.Span[..destination.Length].CopyTo(destination);
            }

            return result;
        }

        private VirtioBlockSubmitStatus SubmitData(uint type, ulong firstBlock, ReadOnlySpan<DmaBuffer> buffers, bool deviceWrites, out int ticket)
        {
            long total = 0;
            int segments = 0;
            foreach (DmaBuffer buffer in buffers)
            {
                if (buffer.IsEmpty)
                {
                    throw new ArgumentException("virtio-blk: an empty buffer in a request", nameof(buffers));
                }

                total += buffer.Length;
                segments += (buffer.Length + Limits.MaxSegmentBytes - 1) / Limits.MaxSegmentBytes;
            }

            if (total == 0 || total % BlockSize != 0 || total > MaxTransferBytes)
            {
                throw new ArgumentException($"virtio-blk: a request of {total} bytes is not 1..{MaxTransferBytes} bytes in whole blocks of {BlockSize}", nameof(buffers));
            }

            if (segments > Limits.MaxSegments)
            {
                throw new ArgumentException($"virtio-blk: a request of {segments} segments exceeds SEG_MAX {Limits.MaxSegments}", nameof(buffers));
            }

            CheckRange(firstBlock, (ulong)(total / BlockSize));
            return Post(type, firstBlock * SectorsPerBlock, buffers, deviceWrites, (uint)total, out ticket);
        }

        private VirtioBlockSubmitStatus SubmitRangeCommand(uint type, ulong firstBlock, ulong blockCount, out int ticket)
        {
            ticket = -1;
            bool supported = type == TypeDiscard ? SupportsDiscard : SupportsWriteZeroes;
            if (!supported)
            {
                return VirtioBlockSubmitStatus.Unsupported;
            }

            if (IsReadOnly)
            {
                return VirtioBlockSubmitStatus.ReadOnly;
            }

            CheckRange(firstBlock, blockCount);
            ulong sectors = blockCount * SectorsPerBlock;
            uint limit = type == TypeDiscard ? Limits.MaxDiscardSectors : Limits.MaxWriteZeroesSectors;
            if (blockCount == 0 || sectors > limit)
            {
                throw new ArgumentOutOfRangeException(nameof(blockCount), $"virtio-blk: {blockCount} blocks is not 1..{limit / SectorsPerBlock} for one segment");
            }

            // §5.2.6: one struct virtio_blk_discard_write_zeroes as the request's data; flags 0 (no unmap).
            int slot = TakeFreeSlot();
            if (slot < 0)
            {
                return VirtioBlockSubmitStatus.Busy;
            }

            DmaBuffer segment = BounceOf(_slots[slot]).Slice(0, DiscardSegmentSize);
            BinaryPrimitives.WriteUInt64LittleEndian(segment.Span, firstBlock * SectorsPerBlock);
            BinaryPrimitives.WriteUInt32LittleEndian(segment.Span[8..], (uint)sectors);
            BinaryPrimitives.WriteUInt32LittleEndian(segment.Span[12..], 0);
            return PostInSlot(slot, type, 0, new ReadOnlySpan<DmaBuffer>(in segment), deviceWrites: false, 0, out ticket);
        }

        // A request through the slot's bounce buffer: `source` copied in for writes.
        private VirtioBlockSubmitStatus PostBounced(uint type, ulong sector, int length, ReadOnlySpan<byte> source, bool deviceWrites, out int ticket)
        {
            ticket = -1;
            int slot = TakeFreeSlot();
            if (slot < 0)
            {
                return _queue.IsBroken ? VirtioBlockSubmitStatus.DeviceFailed : VirtioBlockSubmitStatus.Busy;
            }

            DmaBuffer data = BounceOf(_slots[slot]).Slice(0, length);
            source.CopyTo(data.Span);
            uint expected = deviceWrites ? (uint)length : 0;
            return PostInSlot(slot, type, sector, new ReadOnlySpan<DmaBuffer>(in data), deviceWrites, expected, out ticket);
        }

        private VirtioBlockSubmitStatus Post(uint type, ulong sector, ReadOnlySpan<DmaBuffer> data, bool deviceWrites, uint expected, out int ticket)
        {
            ticket = -1;
            int slot = TakeFreeSlot();
            if (slot < 0)
            {
                return _queue.IsBroken ? VirtioBlockSubmitStatus.DeviceFailed : VirtioBlockSubmitStatus.Busy;
            }

            return PostInSlot(slot, type, sector, data, deviceWrites, deviceWrites ? expected : 0, out ticket);
        }

        // §5.2.6: a readable header, the data (readable for writes, writable for reads), a writable status byte.
        private VirtioBlockSubmitStatus PostInSlot(int index, uint type, ulong sector, ReadOnlySpan<DmaBuffer> data, bool deviceWrites, uint expected, out int ticket)
        {
            ticket = -1;

            // Every used element the device has published is read before a descriptor id is handed out again: one naming
            // a chain the device already gave back (a duplicate) is then seen as the lie it is and breaks the queue, rather
            // than being read later as the completion of the new request on that id, whose buffers the device still holds
            // (found by fuzzing: the caller reused them and the device's real completion wrote into them).
            Harvest();
            if (_queue.IsBroken)
            {
                return VirtioBlockSubmitStatus.DeviceFailed;
            }

            VirtioBlockSlot slot = _slots[index];
            Span<byte> header = slot.Header.Span;
            BinaryPrimitives.WriteUInt32LittleEndian(header, type);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], sector);
            slot.Status.Span[0] = StatusNotWritten;

            int count = 0;
            _chain[count++] = slot.Header;
            foreach (DmaBuffer buffer in data)
            {
                for (int at = 0; at < buffer.Length; at += Limits.MaxSegmentBytes)
                {
                    _chain[count++] = buffer.Slice(at, Math.Min(Limits.MaxSegmentBytes, buffer.Length - at));
                }
            }

            _chain[count++] = slot.Status;
            int readableCount = deviceWrites ? 1 : count - 1;
            ReadOnlySpan<DmaBuffer> chain = _chain.AsSpan(0, count);
            VirtqueueSubmitStatus submitted = _queue.Submit(chain[..readableCount], chain[readableCount..], out int token);
            if (submitted != VirtqueueSubmitStatus.Submitted)
            {
                return submitted == VirtqueueSubmitStatus.QueueFull ? VirtioBlockSubmitStatus.Busy : VirtioBlockSubmitStatus.DeviceFailed;
            }

            slot.Type = type;
            slot.ExpectedWritten = expected;
            slot.Token = token;
            slot.State = VirtioBlockSlotState.InFlight;
            slot.SubmittedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            _slotOfToken[token] = index;
            _queue.NotifyDevice();
            ticket = index;
            return VirtioBlockSubmitStatus.Submitted;
        }

        // Moves every completion the queue holds into its slot (the used ring is read on the way). A device whose lie broke
        // the queue still holds the buffers of every request it had not completed, which fail and go back to their callers:
        // it is reset first (§2.4), so it cannot write into them afterwards (found by fuzzing: a used id out of range failed
        // a direct read, the caller reused its memory, and the device's late completion of that read wrote into it).
        private void Harvest()
        {
            while (_queue.TryTakeNextCompletion(out VirtqueueCompletion completion))
            {
                int index = _slotOfToken[completion.Token];
                _slotOfToken[completion.Token] = -1;
                if (index >= 0)
                {
                    _slots[index].Finish(completion);
                }
            }

            if (_queue.IsBroken)
            {
                FailDevice($"the device broke its queue ({_queue.Error})");
            }
        }

        private int TakeFreeSlot()
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].State == VirtioBlockSlotState.Free)
                {
                    return i;
                }
            }

            return -1;
        }

        private DmaBuffer BounceOf(VirtioBlockSlot slot)
        {
            if (slot.Bounce.IsEmpty)
            {
                slot.Bounce = _dma.Allocate(Math.Max(BounceChunkBytes, Math.Max(IdLength, DiscardSegmentSize)), 4096);
            }

            return slot.Bounce;
        }

        private VirtioBlockSlot OutstandingSlot(int ticket)
        {
            if ((uint)ticket >= (uint)_slots.Length || _slots[ticket].State == VirtioBlockSlotState.Free)
            {
                throw new InvalidOperationException($"virtio-blk: ticket {ticket} is not an outstanding request");
            }

            return _slots[ticket];
        }
    }
}
