using System;
using System.Buffers.Binary;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Block.VirtioBlockRegisters;

namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>
    /// A virtio-blk disk (VirtIO 1.2 §5.2): capacity and block size from config, read-only
    /// honoured, reads, writes, flush and GET_ID through one request queue, completion by
    /// interrupt where the transport has one. One request in flight at a time, through bounce
    /// buffers; a device error fails that request only.
    /// </summary>
    public sealed class VirtioBlockDevice : IBlockDevice
    {
        private const int QueueIndex = 0;
        private const int PreferredQueueSize = 128;
        private const int BounceSize = 64 * 1024;

        private readonly VirtioDeviceInitializer _device;
        private readonly SplitVirtqueue _queue;
        private readonly IDmaAllocator _dma;
        private readonly ICompletionWaiter _waiter;
        private readonly DmaBuffer _header;
        private readonly DmaBuffer _status;
        private readonly DmaBuffer _bounce;
        private bool _pollCompletions;

        private VirtioBlockDevice(VirtioDeviceInitializer device, SplitVirtqueue queue, IDmaAllocator dma, ICompletionWaiter waiter)
        {
            _device = device;
            _queue = queue;
            _dma = dma;
            _waiter = waiter;
            _header = dma.Allocate(RequestHeaderSize, 16);
            _status = dma.Allocate(1, 16);
            _bounce = dma.Allocate(BounceSize, 4096);
            IVirtioTransport transport = device.Transport;
            ulong sectors = transport.ReadConfig64(ConfigCapacity);
            BlockSize = SectorSize;
            if (device.Has(FeatureBlockSize))
            {
                uint size = transport.ReadConfig32(ConfigBlockSize);
                if (size >= SectorSize && size <= 4096 && (size & (size - 1)) == 0)
                {
                    BlockSize = (int)size;
                }
            }

            BlockCount = sectors / (ulong)(BlockSize / SectorSize);
            IsReadOnly = device.Has(FeatureReadOnly);
            Transport = transport.Describe();
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Block;

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
        public ulong BlockCount { get; }

        /// <inheritdoc />
        public int BlockSize { get; }

        /// <inheritdoc />
        public bool IsReadOnly { get; }

        /// <summary>Brings the device up through <paramref name="transport"/>; an error names the failing step.</summary>
        public static VirtioResult<VirtioBlockDevice> Start(IVirtioTransport transport, IDmaAllocator dma, ICompletionWaiter waiter)
        {
            var device = new VirtioDeviceInitializer(transport, dma, "virtio-blk");
            VirtioResult step = device.NegotiateFeatures(FeatureReadOnly | FeatureBlockSize | FeatureFlush | FeatureSegMax | FeatureSizeMax);
            if (step.IsSuccess)
            {
                step = device.EnableInterrupts(1);
            }

            if (!step.IsSuccess)
            {
                return VirtioResult<VirtioBlockDevice>.Failure(step.Error!);
            }

            VirtioResult<SplitVirtqueue> queue = device.CreateQueue(QueueIndex, PreferredQueueSize);
            if (!queue.IsSuccess)
            {
                return VirtioResult<VirtioBlockDevice>.Failure(queue.Error!);
            }

            step = device.Finish();
            return step.IsSuccess
                ? VirtioResult<VirtioBlockDevice>.Success(new VirtioBlockDevice(device, queue.Value, dma, waiter))
                : VirtioResult<VirtioBlockDevice>.Failure(step.Error!);
        }

        /// <inheritdoc />
        public BlockResult Read(ulong firstBlock, Span<byte> buffer)
        {
            BlockResult check = CheckRange(firstBlock, buffer.Length);
            if (check != BlockResult.Ok)
            {
                return check;
            }

            int done = 0;
            while (done < buffer.Length)
            {
                int chunk = Math.Min(BounceSize, buffer.Length - done);
                ulong sector = (firstBlock * (ulong)(BlockSize / SectorSize)) + (ulong)(done / SectorSize);
                BlockResult result = Transfer(TypeIn, sector, _bounce.Slice(0, chunk), deviceWrites: true, out _);
                if (result != BlockResult.Ok)
                {
                    return result;
                }

                _bounce.Span[..chunk].CopyTo(buffer[done..]);
                done += chunk;
            }

            return BlockResult.Ok;
        }

        /// <inheritdoc />
        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer)
        {
            if (IsReadOnly)
            {
                return BlockResult.ReadOnly;
            }

            BlockResult check = CheckRange(firstBlock, buffer.Length);
            if (check != BlockResult.Ok)
            {
                return check;
            }

            int done = 0;
            while (done < buffer.Length)
            {
                int chunk = Math.Min(BounceSize, buffer.Length - done);
                buffer.Slice(done, chunk).CopyTo(_bounce.Span);
                ulong sector = (firstBlock * (ulong)(BlockSize / SectorSize)) + (ulong)(done / SectorSize);
                BlockResult result = Transfer(TypeOut, sector, _bounce.Slice(0, chunk), deviceWrites: false, out _);
                if (result != BlockResult.Ok)
                {
                    return result;
                }

                done += chunk;
            }

            return BlockResult.Ok;
        }

        /// <inheritdoc />
        public BlockResult Flush() =>
            _device.Has(FeatureFlush) ? Transfer(TypeFlush, 0, default, deviceWrites: false, out _) : BlockResult.Ok;

        /// <summary>The device's serial (GET_ID), or null when it does not answer.</summary>
        public string? GetId()
        {
            _bounce.Span[..IdLength].Clear();
            if (Transfer(TypeGetId, 0, _bounce.Slice(0, IdLength), deviceWrites: true, out _) != BlockResult.Ok)
            {
                return null;
            }

            ReadOnlySpan<byte> id = _bounce.Span[..IdLength];
            int length = id.IndexOf((byte)0);
            return System.Text.Encoding.ASCII.GetString(id[..(length < 0 ? IdLength : length)]);
        }

        private BlockResult CheckRange(ulong firstBlock, int byteCount)
        {
            if (byteCount % BlockSize != 0)
            {
                throw new ArgumentException($"a transfer of {byteCount} bytes is not a multiple of the block size {BlockSize}", nameof(byteCount));
            }

            ulong blocks = (ulong)(byteCount / BlockSize);
            if (firstBlock > BlockCount || blocks > BlockCount - firstBlock)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBlock), $"blocks {firstBlock}+{blocks} are beyond the end of a disk of {BlockCount} blocks");
            }

            return BlockResult.Ok;
        }

        // One request: readable header (and data for writes), writable data (for reads) and status.
        private BlockResult Transfer(uint type, ulong sector, DmaBuffer data, bool deviceWrites, out uint written)
        {
            written = 0;
            if (_queue.IsBroken)
            {
                return BlockResult.DeviceFailed;
            }

            Span<byte> header = _header.Span;
            BinaryPrimitives.WriteUInt32LittleEndian(header, type);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], sector);
            _status.Span[0] = 0xFF;

            Span<DmaBuffer> readable = stackalloc DmaBuffer[2];
            Span<DmaBuffer> writable = stackalloc DmaBuffer[2];
            int readableCount = 0, writableCount = 0;
            readable[readableCount++] = _header;
            if (!data.IsEmpty)
            {
                if (deviceWrites)
                {
                    writable[writableCount++] = data;
                }
                else
                {
                    readable[readableCount++] = data;
                }
            }

            writable[writableCount++] = _status;
            if (_queue.Submit(readable[..readableCount], writable[..writableCount], out int token) != VirtqueueSubmitStatus.Submitted)
            {
                return BlockResult.DeviceFailed;
            }

            _queue.NotifyDevice();
            VirtqueueCompletion completion = default;
            bool interruptDriven = InterruptMode != InterruptMode.Polled;
            bool Completed()
            {
                if (!interruptDriven)
                {
                    _queue.Poll();
                }

                return _queue.IsBroken || _queue.TryTakeCompletion(token, out completion);
            }

            _waiter.WaitUntil(Completed, interruptDriven);
            if (!completion.IsSuccess || _queue.IsBroken)
            {
                return BlockResult.DeviceFailed;
            }

            written = completion.WrittenLength;
            return _status.Span[0] switch
            {
                StatusOk => BlockResult.Ok,
                StatusUnsupported => BlockResult.Unsupported,
                _ => BlockResult.IoError,
            };
        }
    }
}
