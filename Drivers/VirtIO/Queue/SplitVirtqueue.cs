using System;
using System.Threading;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// A split virtqueue (VirtIO 1.2 §2.7) in DMA memory. A driver submits a request as device-readable
    /// buffers followed by device-writable ones and gets a token; it notifies the device (batched,
    /// suppressed when the device asks); completions arrive in any order and are taken by token or
    /// oldest-first, found by polling or by <see cref="HandleInterrupt"/>. Indirect descriptors and
    /// EVENT_IDX are used when negotiated. The device is never trusted: a used id, length or index that
    /// does not fit fails the request or the queue with a sentence, and nothing it writes reaches the
    /// free list. Created by <see cref="VirtioDeviceInitializer.CreateQueue"/>.
    /// </summary>
    public sealed class SplitVirtqueue
    {
        /// <summary>Longest chain put in one indirect table by default; longer chains use direct descriptors.</summary>
        public const int DefaultIndirectCapacity = 16;

        private readonly IVirtioTransport _transport;
        private readonly SplitRingMemory _ring;
        private readonly DescriptorFreeList _free;
        private readonly DescriptorChainWriter _chains;
        private readonly VirtqueueRequestTable _requests;
        private readonly InterruptGate _gate = new();
        private readonly int _mask;
        private readonly bool _eventIndex;
        private ushort _availIndex;
        private ushort _notifiedAvailIndex;
        private ushort _lastUsedIndex;
        private ushort _usedEvent;
        private bool _interruptsEnabled = true;
        private bool _live;
        private VirtqueueFault _queueFault;

        internal SplitVirtqueue(
            IVirtioTransport transport,
            string deviceName,
            int index,
            DmaBuffer ringMemory,
            VirtqueueLayout layout,
            DmaBuffer indirectTables,
            int indirectCapacity,
            bool eventIndex)
        {
            _transport = transport;
            DeviceName = deviceName;
            Index = index;
            Size = layout.QueueSize;
            Addresses = layout.AddressesAt(ringMemory.PhysicalAddress);
            _ring = new SplitRingMemory(ringMemory, layout);
            _free = new DescriptorFreeList(Size);
            _chains = new DescriptorChainWriter(_ring, _free, indirectTables, indirectTables.IsEmpty ? 0 : indirectCapacity);
            _requests = new VirtqueueRequestTable(Size);
            _mask = Size - 1;
            _eventIndex = eventIndex;
        }

        /// <summary>The name errors start with ("virtio-blk").</summary>
        public string DeviceName { get; }

        /// <summary>The queue's index on its device.</summary>
        public int Index { get; }

        /// <summary>Descriptors and ring slots (a power of two, at most the device's maximum).</summary>
        public int Size { get; }

        /// <summary>Where the rings are, as the transport was told.</summary>
        public VirtqueueAddresses Addresses { get; }

        /// <summary>True when chains of 2 or more buffers go into indirect tables (VIRTIO_F_INDIRECT_DESC).</summary>
        public bool UsesIndirectDescriptors => _chains.IndirectCapacity > 0;

        /// <summary>True when VIRTIO_F_EVENT_IDX governs notifications both ways.</summary>
        public bool UsesEventIndex => _eventIndex;

        /// <summary>Descriptors not held by a request.</summary>
        public int FreeDescriptorCount => _free.Count;

        /// <summary>Requests the device has not completed.</summary>
        public int InFlightCount => _requests.InFlightCount;

        /// <summary>Completed requests not yet taken.</summary>
        public int CompletedCount => _requests.CompletedCount;

        /// <summary>True once the device broke the queue; no more requests are accepted.</summary>
        public bool IsBroken => _queueFault.IsFault;

        /// <summary>What broke the queue, or default.</summary>
        public VirtqueueFault Fault => _queueFault;

        /// <summary>What broke the queue as a sentence, or null.</summary>
        public string? Error => _queueFault.IsFault ? _queueFault.Describe(DeviceName, Index) : null;

        /// <summary>Available buffer notifications sent.</summary>
        public long NotificationCount { get; private set; }

        /// <summary>Calls of <see cref="HandleInterrupt"/>.</summary>
        public long InterruptCount { get; private set; }

        /// <summary>
        /// Called after new completions were found by an interrupt (from interrupt context, or at the end
        /// of a queue method the interrupt arrived during). Keep it short; never call back into a
        /// blocking wait from it.
        /// </summary>
        public Action? UsedBuffersHandler { get; set; }

        /// <summary>
        /// Adds a request: <paramref name="readable"/> buffers then <paramref name="writable"/> ones
        /// (§2.7.4: writable after readable), as one chain, in an indirect table when negotiated and the
        /// chain has 2 or more buffers. The device may see it at once but is only notified by
        /// <see cref="NotifyDevice"/>.
        /// </summary>
        /// <exception cref="ArgumentException">No buffers, an empty buffer, more buffers than <see cref="Size"/>, or over 4 GiB in total.</exception>
        public VirtqueueSubmitStatus Submit(ReadOnlySpan<DmaBuffer> readable, ReadOnlySpan<DmaBuffer> writable, out int token)
        {
            token = -1;
            int count = readable.Length + writable.Length;
            if (count == 0)
            {
                throw new ArgumentException($"{DeviceName} queue {Index}: a request needs at least one buffer", nameof(readable));
            }

            if (count > Size)
            {
                // §2.7.5.3.1: no chain longer than the queue size, indirect or not.
                throw new ArgumentException($"{DeviceName} queue {Index}: a chain of {count} buffers is longer than the queue size {Size}", nameof(readable));
            }

            ulong writableBytes = 0;
            ulong totalBytes = 0;
            for (int i = 0; i < count; i++)
            {
                int length = i < readable.Length ? readable[i].Length : writable[i - readable.Length].Length;
                if (length <= 0)
                {
                    throw new ArgumentException($"{DeviceName} queue {Index}: buffer {i} of the request is empty", nameof(readable));
                }

                totalBytes += (ulong)length;
                if (i >= readable.Length)
                {
                    writableBytes += (ulong)length;
                }
            }

            if (totalBytes > uint.MaxValue)
            {
                // §2.7.5.2: a chain carries at most 2^32 bytes.
                throw new ArgumentException($"{DeviceName} queue {Index}: a request of {totalBytes} bytes exceeds 4 GiB", nameof(readable));
            }

            _gate.Enter();
            try
            {
                if (_queueFault.IsFault)
                {
                    return VirtqueueSubmitStatus.QueueBroken;
                }

                int descriptors = _chains.DescriptorsFor(count);
                if (descriptors > _free.Count)
                {
                    return VirtqueueSubmitStatus.QueueFull;
                }

                int head = _chains.Write(readable, writable);
                _requests.MarkInFlight(head, descriptors, writableBytes);

                // §2.7.13.2 then §2.7.13.3: ring entry, then the index as a release store.
                _ring.WriteAvailEntry(_availIndex & _mask, (ushort)head);
                _availIndex++;
                _ring.PublishAvailIndex(_availIndex);
                token = head;
                return VirtqueueSubmitStatus.Submitted;
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>
        /// Sends an available buffer notification if the requests submitted since the last one need it
        /// (§2.7.10: avail_event with EVENT_IDX, else the used ring's NO_NOTIFY flag). Before DRIVER_OK
        /// nothing is sent (§3.1.1); the initializer notifies then. Returns true when it notified.
        /// </summary>
        public bool NotifyDevice()
        {
            ushort newIndex = _availIndex;
            ushort oldIndex = _notifiedAvailIndex;
            if (!_live || newIndex == oldIndex)
            {
                return false;
            }

            // §2.7.13.4.1: the index store must be visible before the suppression fields are read.
            Interlocked.MemoryBarrier();
            _notifiedAvailIndex = newIndex;
            bool needed = _eventIndex
                ? VirtqueueMath.NeedEvent(_ring.ReadAvailEvent(), newIndex, oldIndex)
                : (_ring.ReadUsedFlags() & SplitRingMemory.UsedNoNotify) == 0;
            if (needed)
            {
                NotificationCount++;
                _transport.Notify(Index);
            }

            return needed;
        }

        /// <summary>Reads the used ring; returns how many requests completed (or failed) since the last look.</summary>
        public int Poll()
        {
            _gate.Enter();
            int completed = 0;
            try
            {
                completed = DrainUsedRing();
            }
            finally
            {
                Leave();
            }

            return completed;
        }

        /// <summary>
        /// Takes the completion of <paramref name="token"/> if the device finished it (polling the used
        /// ring first), giving its descriptors back. False while it is in flight.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a descriptor index of this queue.</exception>
        /// <exception cref="InvalidOperationException">No request with this token was submitted, or it was already taken.</exception>
        public bool TryTakeCompletion(int token, out VirtqueueCompletion completion)
        {
            if ((uint)token >= (uint)Size)
            {
                throw new ArgumentOutOfRangeException(nameof(token), $"{DeviceName} queue {Index}: token {token} is not below the queue size {Size}");
            }

            completion = default;
            _gate.Enter();
            try
            {
                DrainUsedRing();
                if (_requests.IsFree(token))
                {
                    throw new InvalidOperationException($"{DeviceName} queue {Index}: token {token} is not a submitted request");
                }

                if (!_requests.IsCompleted(token))
                {
                    return false;
                }

                completion = TakeLocked(token);
                return true;
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>Takes the oldest completion not yet taken (polling the used ring first). False when there is none.</summary>
        public bool TryTakeNextCompletion(out VirtqueueCompletion completion)
        {
            completion = default;
            _gate.Enter();
            try
            {
                DrainUsedRing();
                int token = _requests.OldestCompleted;
                if (token < 0)
                {
                    return false;
                }

                completion = TakeLocked(token);
                return true;
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>
        /// For the interrupt handler of this queue's vector (or of a shared line, after the ISR said
        /// "used buffer"): records new completions and calls <see cref="UsedBuffersHandler"/>. Never
        /// throws, never waits, allocates nothing (a lying device's fault is formatted only when read).
        /// </summary>
        public void HandleInterrupt()
        {
            InterruptCount++;
            if (!_gate.TryEnterFromInterrupt())
            {
                return; // the code we interrupted drains as it leaves
            }

            int completed = DrainUsedRing();
            while (_gate.ExitAndClaimDeferred())
            {
                completed += DrainUsedRing();
            }

            if (completed > 0)
            {
                UsedBuffersHandler?.Invoke();
            }
        }

        /// <summary>
        /// Asks the device not to interrupt for this queue (§2.7.7: NO_INTERRUPT, or a used_event it will
        /// not reach soon). Advisory: spurious interrupts remain possible and are harmless.
        /// </summary>
        public void DisableInterrupts()
        {
            _gate.Enter();
            try
            {
                _interruptsEnabled = false;
                if (_eventIndex)
                {
                    WriteUsedEvent((ushort)(_lastUsedIndex - 1));
                }
                else
                {
                    _ring.WriteAvailFlags(SplitRingMemory.AvailNoInterrupt);
                }
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>
        /// Asks the device to interrupt once <paramref name="afterCompletions"/> more requests are used
        /// (exactly so with EVENT_IDX; after each one without), then after every one; taking
        /// completions before then re-arms for the next one. Returns false when completions are
        /// already waiting (poll them: no interrupt may come for them).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterCompletions"/> is not in 1..Size.</exception>
        public bool EnableInterrupts(int afterCompletions = 1)
        {
            if (afterCompletions < 1 || afterCompletions > Size)
            {
                throw new ArgumentOutOfRangeException(nameof(afterCompletions), $"{afterCompletions} is not in 1..{Size}");
            }

            _gate.Enter();
            try
            {
                _interruptsEnabled = true;
                if (_eventIndex)
                {
                    WriteUsedEvent((ushort)(_lastUsedIndex + afterCompletions - 1));
                }
                else
                {
                    _ring.WriteAvailFlags(0);
                }

                // §2.7.14: re-check after re-enabling, or a completion that raced us goes unnoticed.
                Interlocked.MemoryBarrier();
                return _ring.ReadUsedIndex() == _lastUsedIndex;
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>DRIVER_OK is set: notifications may be sent; sends the one held back, if any.</summary>
        internal void MarkLive()
        {
            _live = true;
            NotifyDevice();
        }

        // Runs with the gate held. Validates every used element before acting on it (§2.7.8: the
        // device is not trusted); a lie that names no request breaks the queue, a length lie fails
        // its request. Never throws.
        private int DrainUsedRing()
        {
            int completed = 0;
            while (!_queueFault.IsFault)
            {
                ushort usedIndex = _ring.ReadUsedIndex();
                int pending = (ushort)(usedIndex - _lastUsedIndex);
                if (pending == 0)
                {
                    if (completed == 0 || !_eventIndex || !RearmUsedEvent())
                    {
                        break;
                    }

                    continue;
                }

                if (pending > _requests.InFlightCount)
                {
                    completed += BreakQueue(VirtqueueFault.UsedIndexJump(_lastUsedIndex, usedIndex, _requests.InFlightCount));
                    break;
                }

                for (int i = 0; i < pending; i++)
                {
                    _ring.ReadUsedElement(_lastUsedIndex & _mask, out uint id, out uint length);
                    if (id >= (uint)Size)
                    {
                        return completed + BreakQueue(VirtqueueFault.UsedIdOutOfRange(id, Size));
                    }

                    if (!_requests.IsInFlight((int)id))
                    {
                        return completed + BreakQueue(VirtqueueFault.UsedIdNotInFlight(id));
                    }

                    _lastUsedIndex++;
                    ulong writable = _requests.WritableBytes((int)id);
                    if (length > writable)
                    {
                        _requests.Complete((int)id, 0, VirtqueueFault.UsedLengthTooLong(length, writable, (int)id));
                    }
                    else
                    {
                        _requests.Complete((int)id, length, default);
                    }

                    completed++;
                }
            }

            return completed;
        }

        // After consuming used entries with EVENT_IDX: move used_event so the next interrupt comes at
        // the next completion (or stays far away when disabled), then look again (§2.7.14). True when
        // more entries arrived meanwhile.
        private bool RearmUsedEvent()
        {
            ushort target = _interruptsEnabled ? _lastUsedIndex : (ushort)(_lastUsedIndex - 1);
            if (target == _usedEvent)
            {
                return false;
            }

            WriteUsedEvent(target);
            Interlocked.MemoryBarrier();
            return _ring.ReadUsedIndex() != _lastUsedIndex;
        }

        private void WriteUsedEvent(ushort value)
        {
            _usedEvent = value;
            _ring.WriteUsedEvent(value);
        }

        /// <summary>
        /// Ends the queue from the driver's side, for a device that was reset or removed: every request in flight fails
        /// (<see cref="VirtqueueFaultKind.Stopped"/>), later submits are refused, and the rings are no longer read.
        /// </summary>
        /// <returns>How many requests were in flight.</returns>
        public int Stop()
        {
            _gate.Enter();
            try
            {
                return _queueFault.IsFault ? 0 : BreakQueue(VirtqueueFault.Stopped());
            }
            finally
            {
                Leave();
            }
        }

        // Fails every request in flight with the fault; returns how many.
        private int BreakQueue(VirtqueueFault fault)
        {
            _queueFault = fault;
            int failed = _requests.InFlightCount;
            _requests.FailAllInFlight(fault);
            return failed;
        }

        private VirtqueueCompletion TakeLocked(int token)
        {
            int descriptors = _requests.Take(token, out uint length, out VirtqueueFault fault);
            _free.ReturnChain(token, descriptors);
            return new VirtqueueCompletion(this, token, length, fault);
        }

        // Leaves the gate, doing the work of interrupts that arrived meanwhile.
        private void Leave()
        {
            int completed = 0;
            while (_gate.ExitAndClaimDeferred())
            {
                completed += DrainUsedRing();
            }

            if (completed > 0)
            {
                UsedBuffersHandler?.Invoke();
            }
        }
    }
}
