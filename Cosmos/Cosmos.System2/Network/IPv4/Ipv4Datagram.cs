using System;

namespace Cosmos.System.Network
{
    /// <summary>What the transport protocols learn about a received datagram besides its payload.</summary>
    internal readonly ref struct Ipv4Datagram
    {
        public Ipv4Datagram(NetworkInterface? arrivedOn, Ipv4Header header, ReadOnlySpan<byte> headerBytes, bool isBroadcast)
        {
            ArrivedOn = arrivedOn;
            Header = header;
            HeaderBytes = headerBytes;
            IsBroadcast = isBroadcast;
        }

        /// <summary>The interface, or null for loopback.</summary>
        public NetworkInterface? ArrivedOn { get; }

        public Ipv4Header Header { get; }

        /// <summary>The raw header, quoted in ICMP errors.</summary>
        public ReadOnlySpan<byte> HeaderBytes { get; }

        /// <summary>Sent to a broadcast address (link or IP): never answered with an ICMP error or a TCP reset.</summary>
        public bool IsBroadcast { get; }

        public Ipv4Address Source => Header.Source;

        public Ipv4Address Destination => Header.Destination;
    }
}
