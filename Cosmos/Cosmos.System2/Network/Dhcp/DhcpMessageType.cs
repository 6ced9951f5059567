namespace Cosmos.System.Network
{
    /// <summary>The DHCP message type option's values (RFC 2132 §9.6).</summary>
    public enum DhcpMessageType : byte
    {
        /// <summary>No option 53: a plain BOOTP message.</summary>
        None = 0,

        /// <summary>Client looks for servers.</summary>
        Discover = 1,

        /// <summary>Server offers an address.</summary>
        Offer = 2,

        /// <summary>Client requests the offered (or its current) address.</summary>
        Request = 3,

        /// <summary>Client found the address in use.</summary>
        Decline = 4,

        /// <summary>Server grants the lease.</summary>
        Ack = 5,

        /// <summary>Server refuses.</summary>
        Nak = 6,

        /// <summary>Client gives the address back.</summary>
        Release = 7,

        /// <summary>Client asks for configuration only.</summary>
        Inform = 8,
    }
}
