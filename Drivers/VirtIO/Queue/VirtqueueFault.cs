namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// What a device did wrong, with the values involved; formatted into a sentence only when asked,
    /// so that recording a fault in an interrupt handler allocates nothing.
    /// </summary>
    public readonly struct VirtqueueFault
    {
        private VirtqueueFault(VirtqueueFaultKind kind, ulong value, ulong limit, ulong detail)
        {
            Kind = kind;
            Value = value;
            Limit = limit;
            Detail = detail;
        }

        /// <summary>The kind of lie, or <see cref="VirtqueueFaultKind.None"/>.</summary>
        public VirtqueueFaultKind Kind { get; }

        /// <summary>The offending value: the used id, the used length, or the new used index.</summary>
        public ulong Value { get; }

        /// <summary>What it had to respect: the queue size, the writable bytes, or the previous used index.</summary>
        public ulong Limit { get; }

        /// <summary>The request's id (length faults) or the requests in flight (index jumps).</summary>
        public ulong Detail { get; }

        /// <summary>True when this is a fault.</summary>
        public bool IsFault => Kind != VirtqueueFaultKind.None;

        /// <summary>The sentence: "virtio-blk queue 0: device returned used id 517, queue size is 256".</summary>
        public string Describe(string deviceName, int queueIndex)
        {
            string prefix = deviceName + " queue " + queueIndex.ToString() + ": ";
            switch (Kind)
            {
                case VirtqueueFaultKind.UsedIdOutOfRange:
                    return prefix + $"device returned used id {Value}, queue size is {Limit}";
                case VirtqueueFaultKind.UsedIdNotInFlight:
                    return prefix + $"device returned used id {Value}, which is not a request in flight";
                case VirtqueueFaultKind.UsedLengthTooLong:
                    return prefix + $"device reported {Value} bytes written to request {Detail}, which has {Limit} writable bytes";
                case VirtqueueFaultKind.UsedIndexJump:
                    return prefix + $"used ring index moved from {Limit} to {Value} with {Detail} requests in flight";
                case VirtqueueFaultKind.Stopped:
                    return prefix + "the device was stopped (removed); no requests are accepted";
                default:
                    return prefix + "no fault";
            }
        }

        internal static VirtqueueFault UsedIdOutOfRange(uint id, int queueSize) =>
            new(VirtqueueFaultKind.UsedIdOutOfRange, id, (ulong)queueSize, 0);

        internal static VirtqueueFault UsedIdNotInFlight(uint id) =>
            new(VirtqueueFaultKind.UsedIdNotInFlight, id, 0, 0);

        internal static VirtqueueFault UsedLengthTooLong(uint length, ulong writableBytes, int id) =>
            new(VirtqueueFaultKind.UsedLengthTooLong, length, writableBytes, (ulong)id);

        internal static VirtqueueFault Stopped() => new(VirtqueueFaultKind.Stopped, 0, 0, 0);

        internal static VirtqueueFault UsedIndexJump(ushort from, ushort to, int inFlight) =>
            new(VirtqueueFaultKind.UsedIndexJump, to, from, (ulong)inFlight);
    }
}
