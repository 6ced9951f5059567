namespace Cosmos.System.Network
{
    /// <summary>The stack-wide counters of each protocol (the per-interface ones live on <see cref="NetworkInterface.Counters"/>).</summary>
    public sealed class NetworkCounters
    {
        /// <summary>ARP packets.</summary>
        public ProtocolCounters Arp { get; } = new ProtocolCounters("arp");

        /// <summary>IPv4 packets (after reassembly on the way in, before fragmentation on the way out).</summary>
        public ProtocolCounters Ipv4 { get; } = new ProtocolCounters("ip");

        /// <summary>ICMP messages.</summary>
        public ProtocolCounters Icmp { get; } = new ProtocolCounters("icmp");

        /// <summary>UDP datagrams.</summary>
        public ProtocolCounters Udp { get; } = new ProtocolCounters("udp");

        /// <summary>TCP segments.</summary>
        public TcpCounters Tcp { get; } = new TcpCounters();

        /// <summary>DHCP messages (counted on top of UDP).</summary>
        public ProtocolCounters Dhcp { get; } = new ProtocolCounters("dhcp");

        /// <summary>DNS messages (counted on top of UDP).</summary>
        public ProtocolCounters Dns { get; } = new ProtocolCounters("dns");

        /// <summary>All of them, for listing.</summary>
        public ProtocolCounters[] All => new[] { Arp, Ipv4, Icmp, Udp, (ProtocolCounters)Tcp, Dhcp, Dns };
    }
}
