using System;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>Parsing and building against byte sequences worked out by hand from the RFC layouts (checksums included).</summary>
    public class WireFormatTests
    {
        private static readonly Ipv4Address A = new Ipv4Address(10, 0, 0, 1);
        private static readonly Ipv4Address B = new Ipv4Address(10, 0, 0, 2);

        // 10.0.0.1:40000 -> 10.0.0.2:80 SYN, seq 0x01020304, window 65535, MSS 1460, NOP, WS 7; DF, id 0x1c46.
        private static readonly byte[] SynPacket =
        {
            0x45, 0x00, 0x00, 0x30, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x0a, 0x80, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
            0x9c, 0x40, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x70, 0x02, 0xff, 0xff, 0xcf, 0x7f, 0x00, 0x00,
            0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07,
        };

        // 10.0.0.1:1234 -> 10.0.0.2:5678 "hello", id 7.
        private static readonly byte[] UdpPacket =
        {
            0x45, 0x00, 0x00, 0x21, 0x00, 0x07, 0x00, 0x00, 0x40, 0x11, 0x66, 0xc3, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
            0x04, 0xd2, 0x16, 0x2e, 0x00, 0x0d, 0x8c, 0xff, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
        };

        // Echo request id 0x1234 seq 1 "abcdefgh", id 9.
        private static readonly byte[] EchoPacket =
        {
            0x45, 0x00, 0x00, 0x24, 0x00, 0x09, 0x00, 0x00, 0x40, 0x01, 0x66, 0xce, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
            0x08, 0x00, 0x54, 0x35, 0x12, 0x34, 0x00, 0x01, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        };

        [Fact]
        public void ChecksumMatchesTheRfc1071Example()
        {
            // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (after folding); the checksum is its complement.
            byte[] data = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
            Assert.Equal(0x220d, InternetChecksum.Compute(data));
            Assert.Equal(InternetChecksum.Compute(data), InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.Add(0, data.AsSpan(0, 2)), data.AsSpan(2))));
            // An odd length pads with a zero byte.
            Assert.Equal(InternetChecksum.Compute(new byte[] { 0xab, 0xcd, 0xef, 0x00 }), InternetChecksum.Compute(new byte[] { 0xab, 0xcd, 0xef }));
        }

        [Fact]
        public void Ipv4HeaderRoundTripsAKnownHeader()
        {
            byte[] known = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
            byte[] packet = new byte[0x73];
            known.CopyTo(packet, 0);
            Assert.True(Ipv4Header.TryRead(packet, out Ipv4Header header, out _));
            Assert.Equal(new Ipv4Address(192, 168, 0, 1), header.Source);
            Assert.Equal(new Ipv4Address(192, 168, 0, 199), header.Destination);
            Assert.Equal(IpProtocol.Udp, header.Protocol);
            Assert.True(header.DontFragment);
            Assert.False(header.IsFragment);
            Assert.Equal(0x73 - 20, header.PayloadLength);

            var built = new byte[20];
            new Ipv4Header(header.Source, header.Destination, IpProtocol.Udp, 0x73, 0, 64, dontFragment: true).Write(built);
            Assert.Equal(known, built);

            packet[11] ^= 1;
            Assert.False(Ipv4Header.TryRead(packet, out _, out NetworkDropReason reason));
            Assert.Equal(NetworkDropReason.BadChecksum, reason);
        }

        [Theory]
        [InlineData(0x46, NetworkDropReason.Truncated)]   // 24-byte header in a 20-byte packet
        [InlineData(0x44, NetworkDropReason.BadHeader)]   // header length 16
        [InlineData(0x65, NetworkDropReason.BadHeader)]   // version 6
        public void Ipv4HeaderRejectsBadLengthsAndVersions(byte versionAndLength, NetworkDropReason expected)
        {
            byte[] packet = { versionAndLength, 0x00, 0x00, 0x14, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };
            Assert.False(Ipv4Header.TryRead(packet, out _, out NetworkDropReason reason));
            Assert.Equal(expected, reason);
        }

        [Fact]
        public void TcpSynParsesAndRebuildsByteForByte()
        {
            Assert.True(Ipv4Header.TryRead(SynPacket, out Ipv4Header ip, out _));
            Assert.True(TcpHeader.TryRead(SynPacket.AsSpan(20), ip.Source, ip.Destination, out TcpHeader tcp, out _));
            Assert.Equal(40000, tcp.SourcePort);
            Assert.Equal(80, tcp.DestinationPort);
            Assert.Equal(0x01020304u, tcp.SequenceNumber);
            Assert.Equal(TcpFlags.Syn, tcp.Flags);
            Assert.Equal(1460, tcp.MaximumSegmentSize);
            Assert.Equal(7, tcp.WindowScale);
            Assert.Equal(28, tcp.HeaderLength);

            var segment = new byte[28];
            new TcpHeader(40000, 80, 0x01020304, 0, TcpFlags.Syn, 65535, 1460, 7).Write(segment);
            TcpHeader.WriteChecksum(segment, A, B);
            Assert.Equal(SynPacket.AsSpan(20).ToArray(), segment);
        }

        [Theory]
        [InlineData(new byte[] { 1, 2, 4, 5 }, "MSS option cut short by the header end")]
        [InlineData(new byte[] { 3, 0, 1, 1 }, "length zero")]
        [InlineData(new byte[] { 8, 10, 0, 0 }, "timestamp option longer than the header")]
        [InlineData(new byte[] { 2, 3, 5, 1 }, "MSS option of length 3")]
        public void TcpOptionsThatOverflowAreRejected(byte[] options, string why)
        {
            int headerLength = 20 + (options.Length + 3) / 4 * 4;
            var segment = new byte[headerLength];
            new TcpHeader(1, 2, 3, 4, TcpFlags.Syn, 100).Write(segment);
            segment[12] = (byte)((headerLength / 4) << 4);
            options.CopyTo(segment, 20);
            TcpHeader.WriteChecksum(segment, A, B);
            Assert.False(TcpHeader.TryRead(segment, A, B, out _, out NetworkDropReason reason), why);
            Assert.Equal(NetworkDropReason.BadHeader, reason);
        }

        [Fact]
        public void TcpDataOffsetBeyondTheSegmentIsRejected()
        {
            byte[] segment = SynPacket.AsSpan(20).ToArray();
            segment[12] = 0xF0;   // 60-byte header in a 28-byte segment
            Assert.False(TcpHeader.TryRead(segment, A, B, out _, out NetworkDropReason reason));
            Assert.Equal(NetworkDropReason.BadLength, reason);
        }

        [Fact]
        public void UdpParsesAndRebuildsByteForByte()
        {
            Assert.True(UdpHeader.TryRead(UdpPacket.AsSpan(20), A, B, out UdpHeader header, out _));
            Assert.Equal(1234, header.SourcePort);
            Assert.Equal(5678, header.DestinationPort);
            Assert.Equal(13, header.TotalLength);

            var datagram = new byte[13];
            Encoding.ASCII.GetBytes("hello").CopyTo(datagram, 8);
            new UdpHeader(1234, 5678, 13).Write(datagram, A, B);
            Assert.Equal(UdpPacket.AsSpan(20).ToArray(), datagram);

            datagram[9] ^= 0x20;
            Assert.False(UdpHeader.TryRead(datagram, A, B, out _, out NetworkDropReason reason));
            Assert.Equal(NetworkDropReason.BadChecksum, reason);
            datagram[6] = datagram[7] = 0;   // zero: no checksum (RFC 768)
            Assert.True(UdpHeader.TryRead(datagram, A, B, out _, out _));
            datagram[5] = 14;
            Assert.False(UdpHeader.TryRead(datagram, A, B, out _, out reason));
            Assert.Equal(NetworkDropReason.BadLength, reason);
        }

        [Fact]
        public void ArpRequestForUsGetsTheExactReply()
        {
            var clock = new SimulatedClock();
            var device = new FakeNetworkDevice(new MacAddress(0x020000000002));
            var stack = new NetworkStack(clock, 1);
            stack.AddInterface(device, "eth0").Configure(B, Ipv4Address.MaskFromPrefixLength(24));
            device.Sent.Clear();   // the gratuitous announcement
            byte[] request = new byte[60];
            new byte[]
            {
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
                0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02,
            }.CopyTo(request, 0);
            device.Inject(request);
            stack.Poll();
            byte[] expected = new byte[60];
            new byte[]
            {
                0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06,
                0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x02,
                0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
            }.CopyTo(expected, 0);
            Assert.Single(device.Sent);
            Assert.Equal(expected, device.Sent.Dequeue());
            Assert.True(stack.Interfaces[0].Arp.TryLookup(A, out MacAddress learnt));
            Assert.Equal(new MacAddress(0x020000000001), learnt);
        }

        [Fact]
        public void EchoRequestGetsAnEchoReplyWithTheSameData()
        {
            var clock = new SimulatedClock();
            var device = new FakeNetworkDevice(new MacAddress(0x020000000002));
            var stack = new NetworkStack(clock, 1);
            NetworkInterface eth0 = stack.AddInterface(device, "eth0");
            eth0.Configure(B, Ipv4Address.MaskFromPrefixLength(24));
            eth0.Arp.Add(A, new MacAddress(0x020000000001));
            device.Sent.Clear();
            var frame = new byte[14 + EchoPacket.Length];
            new EthernetHeader(device.Mac, new MacAddress(0x020000000001), EtherType.Ipv4).Write(frame);
            EchoPacket.CopyTo(frame, 14);
            device.Inject(frame);
            stack.Poll();
            byte[] reply = device.Sent.Dequeue();
            Assert.True(Ipv4Header.TryRead(reply.AsSpan(14), out Ipv4Header ip, out _));
            Assert.Equal(A, ip.Destination);
            Assert.Equal(B, ip.Source);
            ReadOnlySpan<byte> icmp = reply.AsSpan(34, ip.PayloadLength);
            Assert.Equal(IcmpMessage.TypeEchoReply, icmp[0]);
            Assert.Equal(0, InternetChecksum.Compute(icmp));
            // Type 8 -> 0 raises the checksum by 0x0800 exactly.
            Assert.Equal(0x5c35, (icmp[2] << 8) | icmp[3]);
            Assert.Equal(EchoPacket.AsSpan(24).ToArray(), icmp.Slice(4).ToArray());
            Assert.Equal(1, stack.Counters.Icmp.PacketsIn);
        }

        [Fact]
        public void DnsResponseWithCompressedCnameParses()
        {
            byte[] response =
            {
                0xbe, 0xef, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61,
                0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00,
                0x00, 0x0e, 0x10, 0x00, 0x02, 0xc0, 0x10, 0xc0, 0x10, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 0x5d,
                0xb8, 0xd8, 0x22,
            };
            Assert.True(DnsMessage.TryParse(response, out DnsMessage? message, out _));
            Assert.Equal(0xbeef, message!.Id);
            Assert.True(message.IsResponse);
            Assert.Equal("www.example.com", message.QuestionName);
            Assert.Equal(2, message.Answers.Count);
            Assert.Equal(DnsRecord.TypeCname, message.Answers[0].Type);
            Assert.Equal("example.com", message.Answers[0].Target);
            Assert.Equal(3600u, message.Answers[0].TimeToLive);
            Assert.Equal("example.com", message.Answers[1].Name);
            Assert.Equal(new Ipv4Address(93, 184, 216, 34), message.Answers[1].Address);

            // The query for the same name, as RFC 1035 §4.1 lays it out.
            var query = new byte[64];
            int length = DnsMessage.WriteQuery(query, 0xbeef, "WWW.Example.com.", DnsRecord.TypeA);
            byte[] expected = response.AsSpan(0, 33).ToArray();
            expected[2] = 0x01;   // RD only
            expected[3] = 0x00;
            expected[7] = 0x00;   // no answers
            Assert.Equal(expected, query.AsSpan(0, length).ToArray());
        }

        [Fact]
        public void DhcpDiscoverFollowsTheRfc2131Layout()
        {
            var message = new DhcpMessage
            {
                TransactionId = 0x3903F326,
                Flags = DhcpMessage.BroadcastFlag,
                ClientHardwareAddress = new MacAddress(0x525400123456),
                MessageType = DhcpMessageType.Discover,
                ParameterRequestList = new byte[] { 1, 3, 6 },
            };
            var data = new byte[message.EncodedLength];
            Assert.Equal(data.Length, message.Write(data));
            Assert.Equal(new byte[] { 1, 1, 6, 0, 0x39, 0x03, 0xF3, 0x26, 0, 0, 0x80, 0 }, data.AsSpan(0, 12).ToArray());
            Assert.Equal(new byte[16], data.AsSpan(12, 16).ToArray());   // ciaddr, yiaddr, siaddr, giaddr
            Assert.Equal(new byte[] { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, data.AsSpan(28, 6).ToArray());
            Assert.Equal(new byte[202], data.AsSpan(34, 202).ToArray());   // chaddr padding, sname, file
            Assert.Equal(new byte[] { 0x63, 0x82, 0x53, 0x63 }, data.AsSpan(236, 4).ToArray());
            Assert.Equal(new byte[]
            {
                53, 1, 1,
                61, 7, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
                55, 3, 1, 3, 6,
                255,
            }, data.AsSpan(240).ToArray());

            Assert.True(DhcpMessage.TryParse(data, out DhcpMessage? parsed, out _));
            Assert.Equal(0x3903F326u, parsed!.TransactionId);
            Assert.Equal(DhcpMessageType.Discover, parsed.MessageType);
            Assert.Equal(message.ClientHardwareAddress, parsed.ClientHardwareAddress);
        }

        [Fact]
        public void DhcpOptionRunningPastTheEndIsRejected()
        {
            var message = new DhcpMessage { MessageType = DhcpMessageType.Offer, Operation = 2 };
            var data = new byte[message.EncodedLength];
            message.Write(data);
            data[^1] = 51;   // lease time option where the end marker was, with no length byte
            Assert.False(DhcpMessage.TryParse(data, out _, out NetworkDropReason reason));
            Assert.Equal(NetworkDropReason.BadLength, reason);
            byte[] longer = new byte[data.Length + 2];
            data.CopyTo(longer, 0);
            longer[^2] = 4;   // claims 4 bytes, 1 present
            Assert.False(DhcpMessage.TryParse(longer, out _, out reason));
            Assert.Equal(NetworkDropReason.BadLength, reason);
        }

        [Fact]
        public void AddressesParseAndFormat()
        {
            Assert.Equal(new Ipv4Address(10, 0, 2, 15), Ipv4Address.Parse("10.0.2.15"));
            Assert.Equal("192.168.1.254", new Ipv4Address(192, 168, 1, 254).ToString());
            foreach (string bad in new[] { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "0001.2.3.4" })
            {
                Assert.False(Ipv4Address.TryParse(bad, out _), bad);
            }

            Assert.Equal(24, Ipv4Address.Parse("255.255.255.0").PrefixLength);
            Assert.Equal(-1, Ipv4Address.Parse("255.0.255.0").PrefixLength);
            Assert.Equal(Ipv4Address.Parse("255.255.240.0"), Ipv4Address.MaskFromPrefixLength(20));
            Assert.Equal("52:54:00:12:34:56", new MacAddress(0x525400123456).ToString());
            Assert.Equal(Ipv4Address.Parse("10.1.2.3"), Ipv4Address.FromIPAddress(Ipv4Address.Parse("10.1.2.3").ToIPAddress()));
        }
    }
}
