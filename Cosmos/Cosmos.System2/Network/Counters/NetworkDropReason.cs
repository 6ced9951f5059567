namespace Cosmos.System.Network
{
    /// <summary>Why the stack threw a frame, packet or segment away; counted per interface and per protocol.</summary>
    public enum NetworkDropReason
    {
        /// <summary>A header or payload checksum did not verify.</summary>
        BadChecksum,

        /// <summary>Shorter than its header (or than the length the header claims).</summary>
        Truncated,

        /// <summary>A length field is inconsistent (too small, or larger than the packet).</summary>
        BadLength,

        /// <summary>A field holds a value the protocol does not allow (IP version, header length, ARP hardware type, option layout).</summary>
        BadHeader,

        /// <summary>An EtherType, IP protocol or message type this stack does not handle.</summary>
        UnknownProtocol,

        /// <summary>Addressed to another host (or a multicast group we did not join).</summary>
        NotForUs,

        /// <summary>No socket is bound to the destination port.</summary>
        NoSocket,

        /// <summary>The socket's receive queue (or a pending queue) was full.</summary>
        QueueFull,

        /// <summary>No route leads to the destination.</summary>
        NoRoute,

        /// <summary>The next hop's hardware address could not be resolved by ARP.</summary>
        Unresolved,

        /// <summary>The device's transmit queue was full or its link down.</summary>
        TransmitFailed,

        /// <summary>A fragment overlapped another one of the same datagram.</summary>
        FragmentOverlap,

        /// <summary>Reassembly did not complete in time.</summary>
        ReassemblyTimeout,

        /// <summary>Too many datagrams or fragments were in reassembly at once.</summary>
        ReassemblyLimit,

        /// <summary>The packet needed fragmenting but had Don't Fragment set.</summary>
        FragmentationNeeded,

        /// <summary>A source address no host may use (broadcast, multicast, our own).</summary>
        BadSourceAddress,

        /// <summary>A reply that matches no outstanding request.</summary>
        Unsolicited,

        /// <summary>Outside the receive window, or otherwise unacceptable to the connection's state.</summary>
        Unacceptable,
    }
}
