namespace Cosmos.System.Network
{
    /// <summary>One question in flight for a lookup: its socket, ID, retries and deadline.</summary>
    internal sealed class DnsQuery
    {
        public DnsQuery(DnsLookup lookup, string name, UdpSocket socket, ushort id, int hops)
        {
            Lookup = lookup;
            Name = name;
            Socket = socket;
            Id = id;
            Hops = hops;
        }

        public DnsLookup Lookup { get; }

        /// <summary>The name asked for in this query (the lookup's name or a CNAME target).</summary>
        public string Name { get; }

        /// <summary>A socket of its own, so the source port is as unpredictable as the ID (RFC 5452 §9.2).</summary>
        public UdpSocket Socket { get; }

        public ushort Id { get; }

        /// <summary>CNAME links followed before this query.</summary>
        public int Hops { get; }

        /// <summary>Transmissions so far.</summary>
        public int Attempts { get; set; }

        /// <summary>The server the last transmission went to.</summary>
        public Ipv4Address Server { get; set; }

        public long Deadline { get; set; }

        /// <summary>Set when the answer led to a CNAME target and another query took over.</summary>
        public bool IsSuperseded { get; set; }
    }
}
