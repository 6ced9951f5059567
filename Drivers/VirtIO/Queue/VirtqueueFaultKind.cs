namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>Ways a device can lie in the used ring (VirtIO 1.2 §2.7.8): each is caught, none is trusted; and the driver's own end of a queue.</summary>
    public enum VirtqueueFaultKind
    {
        /// <summary>No fault.</summary>
        None,

        /// <summary>A used id at or beyond the queue size. Breaks the queue (no request can be blamed).</summary>
        UsedIdOutOfRange,

        /// <summary>A used id that is not the head of a request in flight. Breaks the queue.</summary>
        UsedIdNotInFlight,

        /// <summary>A used length longer than the request's device-writable buffers. Fails that request.</summary>
        UsedLengthTooLong,

        /// <summary>The used index moved by more than the requests in flight (a jump, or backwards). Breaks the queue.</summary>
        UsedIndexJump,

        /// <summary>The driver stopped the device (it was removed): requests in flight fail and no more are accepted.</summary>
        Stopped,
    }
}
