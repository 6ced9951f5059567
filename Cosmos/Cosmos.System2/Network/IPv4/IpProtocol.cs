namespace Cosmos.System.Network
{
    /// <summary>The IPv4 protocol numbers this stack handles (IANA "Assigned Internet Protocol Numbers").</summary>
    public static class IpProtocol
    {
        /// <summary>ICMP (RFC 792).</summary>
        public const byte Icmp = 1;

        /// <summary>TCP (RFC 9293).</summary>
        public const byte Tcp = 6;

        /// <summary>UDP (RFC 768).</summary>
        public const byte Udp = 17;
    }
}
