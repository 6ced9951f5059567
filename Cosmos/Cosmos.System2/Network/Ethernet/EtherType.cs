namespace Cosmos.System.Network
{
    /// <summary>The EtherType values this stack knows (IEEE 802 numbers).</summary>
    public static class EtherType
    {
        /// <summary>IPv4 (RFC 894).</summary>
        public const ushort Ipv4 = 0x0800;

        /// <summary>ARP (RFC 826).</summary>
        public const ushort Arp = 0x0806;

        /// <summary>Values below this are 802.3 length fields, not EtherTypes (IEEE 802.3 §3.2.6).</summary>
        public const ushort MinimumType = 0x0600;
    }
}
