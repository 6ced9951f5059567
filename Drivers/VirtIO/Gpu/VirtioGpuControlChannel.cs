using System;
using System.Buffers.Binary;
using System.Diagnostics;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Gpu.VirtioGpuRegisters;

namespace Cosmos.Drivers.VirtIO.Gpu
{
    /// <summary>
    /// Runs virtio-gpu commands one at a time over a queue (§5.7.6): the request is written into a
    /// device-readable page, the response comes back in a device-writable one, and the caller waits for it.
    /// Every response is checked: its length, its type (an ERR_* answer becomes a sentence naming the
    /// command), and for fenced commands the fence it echoes. A device that never answers within
    /// <see cref="Timeout"/> breaks the channel (its buffers stay lent), so a command never hangs.
    /// </summary>
    internal sealed class VirtioGpuControlChannel
    {
        private const int PageLength = 4096;

        private readonly SplitVirtqueue _queue;
        private readonly ICompletionWaiter _waiter;
        private readonly bool _interruptDriven;
        private readonly DmaBuffer _request;
        private readonly DmaBuffer _response;
        private readonly DmaBuffer[] _readable = new DmaBuffer[1];
        private readonly DmaBuffer[] _writable = new DmaBuffer[1];
        private ulong _nextFence = 1;

        public VirtioGpuControlChannel(SplitVirtqueue queue, IDmaAllocator dma, ICompletionWaiter waiter, bool interruptDriven)
        {
            _queue = queue;
            _waiter = waiter;
            _interruptDriven = interruptDriven;
            _request = dma.Allocate(PageLength, PageLength);
            _response = dma.Allocate(PageLength, PageLength);
        }

        /// <summary>How long a command may take before the device is declared dead.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Why the channel stopped, or null while it works.</summary>
        public string? Broken { get; private set; }

        /// <summary>Where requests are written (a page).</summary>
        public Span<byte> Request => _request.Span;

        /// <summary>The response of the last command.</summary>
        public ReadOnlySpan<byte> Response => _response.Span;

        /// <summary>Commands completed.</summary>
        public long Commands { get; private set; }

        /// <summary>A fence id for the next fenced command (never 0).</summary>
        public ulong NextFence() => _nextFence++;

        /// <summary>
        /// Sends the <paramref name="requestLength"/> bytes of <see cref="Request"/> and waits for a response of
        /// type <paramref name="expectedType"/> and at least <paramref name="expectedLength"/> bytes. Null on
        /// success, else the error. Commands without a response (the cursor queue) pass
        /// <paramref name="expectedLength"/> 0.
        /// </summary>
        public string? Execute(int requestLength, uint expectedType, int expectedLength)
        {
            uint command = BinaryPrimitives.ReadUInt32LittleEndian(_request.Span);
            string name = VirtioGpuCommands.TypeName(command);
            if (Broken is not null)
            {
                return Broken;
            }

            _readable[0] = _request.Slice(0, requestLength);
            int responseRoom = Math.Max(expectedLength, HeaderLength);
            _response.Span[..responseRoom].Clear();
            _writable[0] = _response.Slice(0, responseRoom);
            ReadOnlySpan<DmaBuffer> writable = expectedLength == 0 ? ReadOnlySpan<DmaBuffer>.Empty : _writable;
            VirtqueueSubmitStatus status = _queue.Submit(_readable, writable, out int token);
            if (status != VirtqueueSubmitStatus.Submitted)
            {
                return $"virtio-gpu: {name} not sent: queue {_queue.Index} {status}" + (_queue.Error is null ? "" : $" ({_queue.Error})");
            }

            _queue.NotifyDevice();
            long deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
            VirtqueueCompletion completion = default;
            bool done = false;
            _waiter.WaitUntil(
                () => (done = _queue.TryTakeCompletion(token, out completion)) || _queue.IsBroken || Stopwatch.GetTimestamp() > deadline,
                _interruptDriven);
            if (!done)
            {
                Broken = _queue.Error ?? $"virtio-gpu: {name} got no answer in {Timeout.TotalMilliseconds:0} ms; the device is given up";
                return Broken;
            }

            Commands++;
            if (!completion.IsSuccess)
            {
                return $"virtio-gpu: {name}: {completion.Error}";
            }

            if (expectedLength == 0)
            {
                return null;
            }

            return CheckResponse(name, completion.WrittenLength, expectedType, expectedLength);
        }

        private string? CheckResponse(string name, uint written, uint expectedType, int expectedLength)
        {
            if (written < HeaderLength)
            {
                return $"virtio-gpu: {name}: the device wrote {written} bytes, a response header is {HeaderLength}";
            }

            ReadOnlySpan<byte> response = _response.Span;
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(response);
            if (type != expectedType)
            {
                return type >= RespErrUnspec && type < RespErrUnspec + 0x100
                    ? $"virtio-gpu: {name} failed: the device answered {VirtioGpuCommands.TypeName(type)}"
                    : $"virtio-gpu: {name}: the device answered type {VirtioGpuCommands.TypeName(type)}, expected {VirtioGpuCommands.TypeName(expectedType)}";
            }

            if (written < expectedLength)
            {
                return $"virtio-gpu: {name}: the device wrote {written} bytes of a {expectedLength}-byte {VirtioGpuCommands.TypeName(type)} response";
            }

            // §5.7.6.7: a fenced command's response carries the fence flag and the same fence id.
            ReadOnlySpan<byte> request = _request.Span;
            if ((BinaryPrimitives.ReadUInt32LittleEndian(request[4..]) & FlagFence) != 0)
            {
                ulong fence = BinaryPrimitives.ReadUInt64LittleEndian(request[8..]);
                ulong echoed = BinaryPrimitives.ReadUInt64LittleEndian(response[8..]);
                if ((BinaryPrimitives.ReadUInt32LittleEndian(response[4..]) & FlagFence) == 0 || echoed != fence)
                {
                    return $"virtio-gpu: {name}: fence {fence} answered with fence {echoed}";
                }
            }

            return null;
        }
    }
}
