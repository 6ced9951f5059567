namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>A finished request: its token, how many bytes the device wrote, or why it failed.</summary>
    public readonly struct VirtqueueCompletion
    {
        private readonly SplitVirtqueue? _queue;

        internal VirtqueueCompletion(SplitVirtqueue queue, int token, uint writtenLength, VirtqueueFault fault)
        {
            _queue = queue;
            Token = token;
            WrittenLength = writtenLength;
            Fault = fault;
        }

        /// <summary>The token <see cref="SplitVirtqueue.Submit"/> returned.</summary>
        public int Token { get; }

        /// <summary>Bytes the device wrote into the request's writable buffers (0 on failure).</summary>
        public uint WrittenLength { get; }

        /// <summary>The device's lie that failed the request, if any.</summary>
        public VirtqueueFault Fault { get; }

        /// <summary>True when the device completed the request honestly.</summary>
        public bool IsSuccess => !Fault.IsFault;

        /// <summary>The failure as a sentence, or null on success.</summary>
        public string? Error => Fault.IsFault && _queue is not null ? Fault.Describe(_queue.DeviceName, _queue.Index) : null;
    }
}
