namespace Cosmos.System.Network
{
    /// <summary>Where a ping stands.</summary>
    public enum PingStatus
    {
        /// <summary>Sent, no answer yet.</summary>
        Pending,

        /// <summary>The echo reply arrived.</summary>
        Replied,

        /// <summary>No reply within the timeout.</summary>
        TimedOut,

        /// <summary>A router or the host answered with Destination Unreachable.</summary>
        Unreachable,

        /// <summary>A router answered with Time Exceeded (the TTL ran out).</summary>
        TimeExceeded,

        /// <summary>It could not be sent: no route, or the interface is down.</summary>
        SendFailed,
    }
}
