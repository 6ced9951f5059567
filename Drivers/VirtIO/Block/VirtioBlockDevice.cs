using System;
using System.Runtime.InteropServices;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Block.VirtioBlockRegisters;

namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>
    /// A virtio-blk disk (VirtIO 1.2 §5.2) on any transport: capacity, block size and request limits
    /// from config, read-only honoured, reads and writes split into segments within SEG_MAX/SIZE_MAX,
    /// several requests in flight, flush, GET_ID, DISCARD and WRITE_ZEROES when offered, completion
    /// by interrupt where the transport has one. Underneath is an asynchronous submit/complete API
    /// (<c>Submit…</c>, <see cref="TryComplete"/>, <see cref="Complete"/>) that takes the caller's DMA
    /// memory as scatter-gather segments; the synchronous <see cref="IBlockDevice"/> calls sit on top,
    /// pinning the caller's buffer and handing it to the device when the DMA allocator says the device can
    /// reach it (else copying through per-request bounce buffers). A device error or a lying completion fails that
    /// request only; a broken queue fails every request after it.
    /// </summary>
    /// <remarks>Not reentrant: one thread of the kernel submits and completes (interrupt handlers only record completions).</remarks>
    public sealed partial class VirtioBlockDevice : IBlockDevice, IRemovableDevice
    {
        private const int QueueIndex = 0;
        private const int PreferredQueueSize = 128;
        private const int MaxQueueDepth = 32;
        private const int BounceSize = 64 * 1024;

        // Most data segments a request gets in its indirect table; SEG_MAX above this is capped.
        private const int MaxIndirectSegments = 128;

        private readonly VirtioDeviceInitializer _device;
        private readonly SplitVirtqueue _queue;
        private readonly IDmaAllocator _dma;
        private readonly ICompletionWaiter _waiter;
        private readonly VirtioBlockSlot[] _slots;
        private readonly int[] _slotOfToken;
        private readonly DmaBuffer[] _chain;
        private bool _pollCompletions;

        private VirtioBlockDevice(VirtioDeviceInitializer device, SplitVirtqueue queue, IDmaAllocator dma, ICompletionWaiter waiter, VirtioBlockLimits limits)
        {
            _device = device;
            _queue = queue;
            _dma = dma;
            _waiter = waiter;
            Limits = limits;
            BlockSize = limits.BlockSize;
            _blockCount = limits.Sectors / (ulong)(BlockSize / SectorSize);
            IsReadOnly = device.Has(FeatureReadOnly);
            Transport = device.Transport.Describe();

            // With indirect descriptors a request takes one ring descriptor; without, the header, up to MaxSegments data
            // segments and the status. A free slot must mean room in the ring for a whole request (found by fuzzing: with
            // Size / 3 slots, asynchronous requests of several segments filled a 16-entry ring while slots were free, and a
            // synchronous read then threw that every slot was held).
            int depth = queue.UsesIndirectDescriptors ? queue.Size : queue.Size / (limits.MaxSegments + 2);
            QueueDepth = Math.Clamp(depth, 1, MaxQueueDepth);
            // Headers and status bytes of every slot share one allocation (the kernel's allocator is page-granular).
            _slots = new VirtioBlockSlot[QueueDepth];
            DmaBuffer small = dma.Allocate(QueueDepth * 2 * RequestHeaderSize, 16);
            for (int i = 0; i < _slots.Length; i++)
            {
                int at = i * 2 * RequestHeaderSize;
                var slot = new VirtioBlockSlot(small.Slice(at, RequestHeaderSize), small.Slice(at + RequestHeaderSize, 1));
                slot.IsSettled = () =>
                {
                    Harvest();
                    if (slot.State == VirtioBlockSlotState.InFlight && !_queue.IsBroken
                        && System.Diagnostics.Stopwatch.GetTimestamp() - slot.SubmittedAt > _requestTimeoutTicks)
                    {
                        FailDevice($"a request has not completed in {RequestTimeout.TotalSeconds:0.###} s");
                    }

                    return slot.State != VirtioBlockSlotState.InFlight || _queue.IsBroken;
                };
                _slots[i] = slot;
            }

            _slotOfToken = new int[queue.Size];
            Array.Fill(_slotOfToken, -1);
            _chain = new DmaBuffer[limits.MaxSegments + 2];
            long transfer = (long)limits.MaxSegments * limits.MaxSegmentBytes;
            MaxTransferBytes = (int)(Math.Min(transfer, int.MaxValue / 2) / BlockSize * BlockSize);
            BounceChunkBytes = Math.Min(BounceSize, MaxTransferBytes) / BlockSize * BlockSize;
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Block;

        /// <summary>True once <see cref="Detach"/> ran: every request fails with <see cref="BlockResult.DeviceFailed"/>.</summary>
        public bool IsDetached { get; private set; }

        /// <summary>
        /// The disk is leaving (its hot-plug slot is being emptied): requests in flight fail, later ones are refused
        /// without touching the device, and the device is reset (§2.4) so it stops using the rings; a device that is
        /// already gone ignores the write. Its interrupts are released by the bus (the PCI function's).
        /// </summary>
        public void Detach()
        {
            if (IsDetached)
            {
                return;
            }

            IsDetached = true;
            if (IsFailed)
            {
                Log?.Invoke($"{Prefix}detached");
                return;
            }

            int failed = _queue.Stop();
            _device.Transport.Reset();
            Log?.Invoke($"{Prefix}detached" + (failed > 0 ? $"; {failed} requests in flight failed" : ""));
        }

        /// <inheritdoc />
        public string NameStem => "vd";

        /// <inheritdoc />
        public string DriverName => "virtio-blk";

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => PollCompletions ? InterruptMode.Polled : _device.InterruptMode;

        /// <summary>
        /// When set, completions are polled and the queue's interrupts suppressed even where the
        /// transport delivers them (for measurements and for interrupt-less contexts).
        /// </summary>
        public bool PollCompletions
        {
            get => _pollCompletions;
            set
            {
                _pollCompletions = value;
                if (value)
                {
                    _queue.DisableInterrupts();
                }
                else
                {
                    _queue.EnableInterrupts();
                }
            }
        }

        /// <inheritdoc />
        public int BlockSize { get; }

        /// <inheritdoc />
        public bool IsReadOnly { get; }

        /// <summary>The configuration's geometry and request limits.</summary>
        public VirtioBlockLimits Limits { get; }

        /// <summary>How many requests this driver keeps in flight at most.</summary>
        public int QueueDepth { get; }

        /// <summary>The largest data transfer one request carries (SEG_MAX × SIZE_MAX, capped).</summary>
        public int MaxTransferBytes { get; }

        /// <summary>True when the device negotiated FLUSH (otherwise it writes through and flush is a no-op).</summary>
        public bool SupportsFlush => _device.Has(FeatureFlush);

        /// <summary>True when the device negotiated DISCARD (§5.2.6.2).</summary>
        public bool SupportsDiscard => _device.Has(FeatureDiscard) && Limits.MaxDiscardSectors >= (uint)(BlockSize / SectorSize);

        /// <summary>True when the device negotiated WRITE_ZEROES (§5.2.6.2).</summary>
        public bool SupportsWriteZeroes => _device.Has(FeatureWriteZeroes) && Limits.MaxWriteZeroesSectors >= (uint)(BlockSize / SectorSize);

        /// <summary>Requests submitted and not yet collected.</summary>
        public int RequestsOutstanding
        {
            get
            {
                int count = 0;
                foreach (VirtioBlockSlot slot in _slots)
                {
                    count += slot.State == VirtioBlockSlotState.Free ? 0 : 1;
                }

                return count;
            }
        }

        /// <summary>The queue's error when a lying device broke it, else null.</summary>
        public string? QueueError => _queue.Error;

        private int BounceChunkBytes { get; }

        private ulong SectorsPerBlock => (ulong)(BlockSize / SectorSize);

        /// <summary>Brings the device up through <paramref name="transport"/>; an error names the failing step.</summary>
        public static VirtioResult<VirtioBlockDevice> Start(IVirtioTransport transport, IDmaAllocator dma, ICompletionWaiter waiter)
        {
            ArgumentNullException.ThrowIfNull(transport);
            ArgumentNullException.ThrowIfNull(dma);
            ArgumentNullException.ThrowIfNull(waiter);
            var device = new VirtioDeviceInitializer(transport, dma, "virtio-blk");
            VirtioResult step = device.NegotiateFeatures(
                FeatureReadOnly | FeatureBlockSize | FeatureFlush | FeatureSegMax | FeatureSizeMax | FeatureDiscard | FeatureWriteZeroes);
            if (step.IsSuccess)
            {
                step = device.EnableInterrupts(1);
            }

            if (!step.IsSuccess)
            {
                return VirtioResult<VirtioBlockDevice>.Failure(step.Error!);
            }

            // A device whose configuration space ends before the fields its features promise (found by fuzzing:
            // reading past it threw out of Start) cannot be driven.
            int configNeeded = ConfigLengthFor(device.NegotiatedFeatures);
            if (transport.ConfigLength < configNeeded)
            {
                return VirtioResult<VirtioBlockDevice>.Failure(device.Fail(
                    $"virtio-blk: configuration is {transport.ConfigLength} bytes, features 0x{device.NegotiatedFeatures:x} need {configNeeded}").Error!);
            }

            // §3.1.1: the configuration may be read once features are accepted; SEG_MAX sizes the indirect tables.
            int segments = device.Has(FeatureSegMax) ? (int)Math.Clamp(transport.ReadConfig32(ConfigSegMax), 1u, MaxIndirectSegments) : 1;
            VirtioResult<SplitVirtqueue> queue = device.CreateQueue(QueueIndex, PreferredQueueSize, segments + 2);
            if (!queue.IsSuccess)
            {
                return VirtioResult<VirtioBlockDevice>.Failure(queue.Error!);
            }

            int segmentCap = queue.Value.UsesIndirectDescriptors ? segments : Math.Max(1, (queue.Value.Size / 2) - 2);
            VirtioBlockLimits limits = VirtioBlockLimits.Read(transport, device.NegotiatedFeatures, queue.Value.Size, segmentCap);
            if ((long)limits.MaxSegments * limits.MaxSegmentBytes < limits.BlockSize)
            {
                return VirtioResult<VirtioBlockDevice>.Failure(device.Fail(
                    $"virtio-blk: seg_max {limits.MaxSegments} x size_max {limits.MaxSegmentBytes} bytes cannot carry one {limits.BlockSize}-byte block").Error!);
            }

            var disk = new VirtioBlockDevice(device, queue.Value, dma, waiter, limits);
            device.ConfigChanged = disk.OnConfigChanged;
            step = device.Finish();
            return step.IsSuccess
                ? VirtioResult<VirtioBlockDevice>.Success(disk)
                : VirtioResult<VirtioBlockDevice>.Failure(step.Error!);
        }

        /// <inheritdoc />
        public BlockResult Read(ulong firstBlock, Span<byte> buffer) => ReadMany(firstBlock, buffer, QueueDepth);

        /// <inheritdoc />
        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer) => WriteMany(firstBlock, buffer, QueueDepth);

        /// <inheritdoc />
        public BlockResult Flush()
        {
            VirtioBlockSubmitStatus status = SubmitFlush(out int ticket);
            return status == VirtioBlockSubmitStatus.Submitted ? Complete(ticket) : ToResult(status);
        }

        /// <summary>The device's serial (GET_ID), or null when it does not answer.</summary>
        public string? GetId()
        {
            Span<byte> id = stackalloc byte[IdLength];
            id.Clear();
            VirtioBlockSubmitStatus status = PostBounced(TypeGetId, 0, IdLength, default, deviceWrites: true, out int ticket);
            if (status != VirtioBlockSubmitStatus.Submitted || CompleteInto(ticket, id) != BlockResult.Ok)
            {
                return null;
            }

            int length = id.IndexOf((byte)0);
            return System.Text.Encoding.ASCII.GetString(id[..(length < 0 ? IdLength : length)]);
        }

        /// <summary>
        /// Reads whole blocks with up to <paramref name="depth"/> requests in flight (each at most
        /// one bounce buffer); the first failing request's result is returned once every request
        /// posted has completed.
        /// </summary>
        public BlockResult ReadMany(ulong firstBlock, Span<byte> buffer, int depth) =>
            Transfer(firstBlock, buffer, default, deviceWrites: true, depth);

        /// <summary>Writes whole blocks with up to <paramref name="depth"/> requests in flight.</summary>
        public BlockResult WriteMany(ulong firstBlock, ReadOnlySpan<byte> buffer, int depth)
        {
            if (IsReadOnly)
            {
                return BlockResult.ReadOnly;
            }

            return Transfer(firstBlock, default, buffer, deviceWrites: false, depth);
        }

        /// <summary>DISCARD (§5.2.6.2): the device may forget the blocks' contents. <see cref="BlockResult.Unsupported"/> when not offered.</summary>
        public BlockResult Discard(ulong firstBlock, ulong blockCount) => RangeCommand(TypeDiscard, firstBlock, blockCount);

        /// <summary>WRITE_ZEROES (§5.2.6.2): the blocks read back as zeroes. <see cref="BlockResult.Unsupported"/> when not offered.</summary>
        public BlockResult WriteZeroes(ulong firstBlock, ulong blockCount) => RangeCommand(TypeWriteZeroes, firstBlock, blockCount);

        private static BlockResult ToResult(VirtioBlockSubmitStatus status) => status switch
        {
            VirtioBlockSubmitStatus.ReadOnly => BlockResult.ReadOnly,
            VirtioBlockSubmitStatus.Unsupported => BlockResult.Unsupported,
            VirtioBlockSubmitStatus.Submitted => BlockResult.Ok,
            _ => BlockResult.DeviceFailed,
        };

        private BlockResult RangeCommand(uint type, ulong firstBlock, ulong blockCount)
        {
            CheckRange(firstBlock, blockCount);
            ulong limit = (type == TypeDiscard ? Limits.MaxDiscardSectors : Limits.MaxWriteZeroesSectors) / SectorsPerBlock;
            ulong done = 0;
            while (done < blockCount)
            {
                ulong count = Math.Min(blockCount - done, Math.Max(1, limit));
                VirtioBlockSubmitStatus status = SubmitRangeCommand(type, firstBlock + done, count, out int ticket);
                BlockResult result = status == VirtioBlockSubmitStatus.Submitted ? Complete(ticket) : ToResult(status);
                if (result != BlockResult.Ok)
                {
                    return result;
                }

                done += count;
            }

            return BlockResult.Ok;
        }

        // Up to `depth` requests in flight; completions are collected in submission order (the device may finish
        // them in any order: the queue keeps each one until taken). Memory the device can reach directly (the
        // caller's pinned buffer in identity-mapped RAM) is used as it is, in requests of up to MaxTransferBytes;
        // otherwise each request goes through its slot's bounce buffer.
        private unsafe BlockResult Transfer(ulong firstBlock, Span<byte> destination, ReadOnlySpan<byte> source, bool deviceWrites, int depth)
        {
            int length = deviceWrites ? destination.Length : source.Length;
            CheckByteCount(length);
            CheckRange(firstBlock, (ulong)(length / BlockSize));
            if (length == 0)
            {
                return BlockResult.Ok;
            }

            ref byte start = ref deviceWrites ? ref MemoryMarshal.GetReference(destination) : ref MemoryMarshal.GetReference(source);
            fixed (byte* pointer = &start)
            {
                bool direct = _dma.TryDescribe((nint)pointer, length, out DmaBuffer memory);
                return TransferChunks(firstBlock, destination, source, direct ? memory : default, deviceWrites, depth);
            }
        }

        private BlockResult TransferChunks(ulong firstBlock, Span<byte> destination, ReadOnlySpan<byte> source, DmaBuffer direct, bool deviceWrites, int depth)
        {
            int length = deviceWrites ? destination.Length : source.Length;
            depth = Math.Clamp(depth, 1, QueueDepth);
            int chunkBytes = direct.IsEmpty ? BounceChunkBytes : MaxTransferBytes;
            int chunks = (length + chunkBytes - 1) / chunkBytes;
            Span<int> tickets = stackalloc int[depth];
            BlockResult first = BlockResult.Ok;
            int next = 0, collected = 0;
            ulong firstSector = firstBlock * SectorsPerBlock;
            while (collected < chunks)
            {
                while (first == BlockResult.Ok && next < chunks && next - collected < depth)
                {
                    int offset = next * chunkBytes;
                    int size = Math.Min(chunkBytes, length - offset);
                    ulong sector = firstSector + (ulong)(offset / SectorSize);
                    int ticket;
                    VirtioBlockSubmitStatus status;
                    if (direct.IsEmpty)
                    {
                        ReadOnlySpan<byte> data = deviceWrites ? default : source.Slice(offset, size);
                        status = PostBounced(deviceWrites ? TypeIn : TypeOut, sector, size, data, deviceWrites, out ticket);
                    }
                    else
                    {
                        DmaBuffer part = direct.Slice(offset, size);
                        status = Post(deviceWrites ? TypeIn : TypeOut, sector, new ReadOnlySpan<DmaBuffer>(in part), deviceWrites, (uint)size, out ticket);
                    }

                    if (status == VirtioBlockSubmitStatus.Busy)
                    {
                        if (next == collected)
                        {
                            throw new InvalidOperationException($"virtio-blk: all {QueueDepth} request slots are held by tickets nobody collected");
                        }

                        break;
                    }

                    if (status != VirtioBlockSubmitStatus.Submitted)
                    {
                        first = ToResult(status);
                        break;
                    }

                    tickets[next % depth] = ticket;
                    next++;
                }

                if (collected == next)
                {
                    break;
                }

                int at = collected * chunkBytes;
                Span<byte> into = deviceWrites && direct.IsEmpty ? destination.Slice(at, Math.Min(chunkBytes, length - at)) : default;
                BlockResult result = CompleteInto(tickets[collected % depth], into);
                collected++;
                if (first == BlockResult.Ok)
                {
                    first = result;
                }
            }

            return first;
        }

        private void CheckByteCount(int byteCount)
        {
            if (byteCount % BlockSize != 0)
            {
                throw new ArgumentException($"a transfer of {byteCount} bytes is not a multiple of the block size {BlockSize}", nameof(byteCount));
            }
        }

        private void CheckRange(ulong firstBlock, ulong blocks)
        {
            if (firstBlock > BlockCount || blocks > BlockCount - firstBlock)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBlock), $"blocks {firstBlock}+{blocks} are beyond the end of a disk of {BlockCount} blocks");
            }
        }
    }
}
