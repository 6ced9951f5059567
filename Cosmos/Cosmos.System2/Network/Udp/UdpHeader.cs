using System;
using System.Buffers.Binary;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>The UDP header (RFC 768) and its checksum over the IPv4 pseudo-header.</summary>
    public readonly struct UdpHeader
    {
        /// <summary>Header bytes.</summary>
        public const int Length = 8;

        /// <summary>Creates a header.</summary>
        public UdpHeader(ushort sourcePort, ushort destinationPort, int totalLength)
        {
            SourcePort = sourcePort;
            DestinationPort = destinationPort;
            TotalLength = totalLength;
        }

        /// <summary>The sender's port.</summary>
        public ushort SourcePort { get; }

        /// <summary>The receiver's port.</summary>
        public ushort DestinationPort { get; }

        /// <summary>Header plus data bytes.</summary>
        public int TotalLength { get; }

        /// <summary>
        /// Reads the header of <paramref name="datagram"/> (the IP payload), checks its length field and, unless it is
        /// zero (RFC 768: "no checksum"), its checksum.
        /// </summary>
        public static bool TryRead(ReadOnlySpan<byte> datagram, Ipv4Address source, Ipv4Address destination, out UdpHeader header, out NetworkDropReason reason)
        {
            header = default;
            if (datagram.Length < Length)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(4));
            if (length < Length || length > datagram.Length)
            {
                reason = NetworkDropReason.BadLength;
                return false;
            }

            ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(6));
            if (checksum != 0)
            {
                uint sum = PseudoHeader.Add(0, source, destination, IpProtocol.Udp, length);
                if (InternetChecksum.Finish(InternetChecksum.Add(sum, datagram.Slice(0, length))) != 0)
                {
                    reason = NetworkDropReason.BadChecksum;
                    return false;
                }
            }

            header = new UdpHeader(BinaryPrimitives.ReadUInt16BigEndian(datagram), BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(2)), length);
            reason = default;
            return true;
        }

        /// <summary>Writes the header in front of the data already in <paramref name="datagram"/> and fills in the checksum.</summary>
        public void Write(Span<byte> datagram, Ipv4Address source, Ipv4Address destination)
        {
            BinaryPrimitives.WriteUInt16BigEndian(datagram, SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(2), DestinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(4), (ushort)TotalLength);
            datagram[6] = 0;
            datagram[7] = 0;
            uint sum = PseudoHeader.Add(0, source, destination, IpProtocol.Udp, TotalLength);
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(sum, datagram.Slice(0, TotalLength)));
            // RFC 768: a computed zero is sent as all ones, zero meaning "not computed".
            BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        }
    }
}
