namespace Cosmos.System.Network
{
    /// <summary>The TCP counters: the common ones plus what netstat -s shows for TCP.</summary>
    public sealed class TcpCounters : ProtocolCounters
    {
        internal TcpCounters() : base("tcp")
        {
        }

        /// <summary>Connections this host opened (connect).</summary>
        public long ActiveOpens { get; internal set; }

        /// <summary>Connections accepted on listeners.</summary>
        public long PassiveOpens { get; internal set; }

        /// <summary>Segments sent again after a retransmission timeout.</summary>
        public long TimeoutRetransmissions { get; internal set; }

        /// <summary>Segments sent again on three duplicate acknowledgements or a partial acknowledgement (RFC 6582).</summary>
        public long FastRetransmissions { get; internal set; }

        /// <summary>Resets sent.</summary>
        public long ResetsSent { get; internal set; }

        /// <summary>Resets received that ended a connection.</summary>
        public long ResetsReceived { get; internal set; }
    }
}
