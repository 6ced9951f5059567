using System;
using System.Buffers.Binary;
using Cosmos.System.Network;

namespace Cosmos.System.Tests.Network
{
    /// <summary>Builds and inspects Ethernet/IPv4/TCP and UDP frames for tests.</summary>
    internal static class TcpFrames
    {
        public static byte[] Segment(MacAddress source, MacAddress destination, Ipv4Address sourceIp, Ipv4Address destinationIp,
            ushort sourcePort, ushort destinationPort, uint seq, uint ack, TcpFlags flags, ushort window, ReadOnlySpan<byte> data,
            int mss = 0, int windowScale = -1)
        {
            var header = new TcpHeader(sourcePort, destinationPort, seq, ack, flags, window, mss, windowScale);
            var segment = new byte[header.HeaderLength + data.Length];
            header.Write(segment);
            data.CopyTo(segment.AsSpan(header.HeaderLength));
            TcpHeader.WriteChecksum(segment, sourceIp, destinationIp);
            return Ip(source, destination, sourceIp, destinationIp, IpProtocol.Tcp, segment);
        }

        public static byte[] Udp(MacAddress source, MacAddress destination, Ipv4Address sourceIp, Ipv4Address destinationIp,
            ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
        {
            var datagram = new byte[UdpHeader.Length + data.Length];
            data.CopyTo(datagram.AsSpan(UdpHeader.Length));
            new UdpHeader(sourcePort, destinationPort, datagram.Length).Write(datagram, sourceIp, destinationIp);
            return Ip(source, destination, sourceIp, destinationIp, IpProtocol.Udp, datagram);
        }

        public static byte[] Ip(MacAddress source, MacAddress destination, Ipv4Address sourceIp, Ipv4Address destinationIp, byte protocol,
            ReadOnlySpan<byte> payload, ushort id = 1, bool moreFragments = false, int fragmentOffset = 0)
        {
            var frame = new byte[EthernetHeader.Length + Ipv4Header.MinimumLength + payload.Length];
            new EthernetHeader(destination, source, EtherType.Ipv4).Write(frame);
            new Ipv4Header(sourceIp, destinationIp, protocol, Ipv4Header.MinimumLength + payload.Length, id, 64,
                moreFragments: moreFragments, fragmentOffset: fragmentOffset).Write(frame.AsSpan(EthernetHeader.Length));
            payload.CopyTo(frame.AsSpan(EthernetHeader.Length + Ipv4Header.MinimumLength));
            return frame;
        }

        /// <summary>True for an Ethernet/IPv4/TCP frame; its flags.</summary>
        public static bool IsTcp(byte[] frame, out TcpFlags flags)
        {
            flags = TcpFlags.None;
            if (frame.Length < 54 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != EtherType.Ipv4 || frame[23] != IpProtocol.Tcp)
            {
                return false;
            }

            int ipHeader = (frame[14] & 0x0F) * 4;
            flags = (TcpFlags)frame[14 + ipHeader + 13];
            return true;
        }

        /// <summary>The TCP payload length of a frame, or -1 for anything else.</summary>
        public static int PayloadLength(byte[] frame)
        {
            if (!IsTcp(frame, out _))
            {
                return -1;
            }

            int ipHeader = (frame[14] & 0x0F) * 4;
            int total = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
            int tcpHeader = (frame[14 + ipHeader + 12] >> 4) * 4;
            return total - ipHeader - tcpHeader;
        }
    }
}
