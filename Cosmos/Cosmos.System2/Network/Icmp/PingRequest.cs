namespace Cosmos.System.Network
{
    /// <summary>One echo request and, once it is known, its answer; poll <see cref="Status"/> after each <see cref="NetworkStack.Poll"/>.</summary>
    public sealed class PingRequest
    {
        internal PingRequest(Ipv4Address destination, ushort identifier, ushort sequence, int payloadLength, long sentAt, long deadline)
        {
            Destination = destination;
            Identifier = identifier;
            Sequence = sequence;
            PayloadLength = payloadLength;
            SentAt = sentAt;
            Deadline = deadline;
        }

        /// <summary>Who was pinged.</summary>
        public Ipv4Address Destination { get; }

        /// <summary>The echo identifier.</summary>
        public ushort Identifier { get; }

        /// <summary>The echo sequence number.</summary>
        public ushort Sequence { get; }

        /// <summary>Data bytes after the ICMP header.</summary>
        public int PayloadLength { get; }

        /// <summary>When it was sent (clock milliseconds).</summary>
        public long SentAt { get; }

        /// <summary>When it times out.</summary>
        public long Deadline { get; }

        /// <summary>Where it stands.</summary>
        public PingStatus Status { get; internal set; }

        /// <summary>The round-trip time of the reply in milliseconds.</summary>
        public long RoundTripMilliseconds { get; internal set; }

        /// <summary>The TTL of the reply's IP header.</summary>
        public byte ReplyTimeToLive { get; internal set; }

        /// <summary>Who answered (the destination, or the router reporting an error).</summary>
        public Ipv4Address Responder { get; internal set; }

        /// <summary>True once the status is no longer <see cref="PingStatus.Pending"/>.</summary>
        public bool IsComplete => Status != PingStatus.Pending;
    }
}
