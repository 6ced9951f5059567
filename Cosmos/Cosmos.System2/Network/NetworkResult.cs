namespace Cosmos.System.Network
{
    /// <summary>The outcome of a socket-level call; the non-blocking calls return <see cref="WouldBlock"/> instead of waiting.</summary>
    public enum NetworkResult
    {
        /// <summary>Done.</summary>
        Success,

        /// <summary>Nothing can be done now; ask again after the next <see cref="NetworkStack.Poll"/>.</summary>
        WouldBlock,

        /// <summary>No route (and no default gateway) leads to the destination.</summary>
        NoRoute,

        /// <summary>The outgoing interface's link is down or it has no address yet.</summary>
        NetworkDown,

        /// <summary>The connection is not (or not yet) established.</summary>
        NotConnected,

        /// <summary>The peer answered the connection request with a reset.</summary>
        ConnectionRefused,

        /// <summary>The peer reset an established connection.</summary>
        ConnectionReset,

        /// <summary>The peer stopped answering (retransmissions or keep-alive probes ran out).</summary>
        TimedOut,

        /// <summary>The local port (or address and port) is already bound.</summary>
        AddressInUse,

        /// <summary>The message does not fit (a UDP datagram over 65507 bytes).</summary>
        MessageTooLarge,

        /// <summary>This side already shut the direction down, or the socket was closed or aborted locally.</summary>
        Closed,

        /// <summary>An argument is out of range for the call.</summary>
        InvalidArgument,
    }
}
