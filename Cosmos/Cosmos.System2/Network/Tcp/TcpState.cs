namespace Cosmos.System.Network
{
    /// <summary>The connection states of RFC 9293 §3.3.2 (LISTEN belongs to <see cref="TcpListener"/>).</summary>
    public enum TcpState
    {
        /// <summary>No connection (before connect, or after it ended).</summary>
        Closed,

        /// <summary>Our SYN is out, waiting for the peer's.</summary>
        SynSent,

        /// <summary>Both SYNs seen, waiting for the acknowledgement of ours.</summary>
        SynReceived,

        /// <summary>Data flows both ways.</summary>
        Established,

        /// <summary>We closed; our FIN is not yet acknowledged.</summary>
        FinWait1,

        /// <summary>We closed and our FIN is acknowledged; the peer may still send.</summary>
        FinWait2,

        /// <summary>The peer closed; we may still send.</summary>
        CloseWait,

        /// <summary>Both closed at once; waiting for the acknowledgement of our FIN.</summary>
        Closing,

        /// <summary>The peer closed first, then we did; waiting for the acknowledgement of our FIN.</summary>
        LastAck,

        /// <summary>Both FINs acknowledged; lingering 2 MSL so stray segments die out.</summary>
        TimeWait,
    }
}
