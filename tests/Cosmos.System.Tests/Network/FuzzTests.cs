using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>Thousands of random and mutated frames: nothing may throw, and the drop counters must show where they went.</summary>
    public class FuzzTests
    {
        private static long TotalDrops(NetworkStack stack)
        {
            long total = 0;
            foreach (ProtocolCounters counters in stack.Counters.All)
            {
                total += counters.TotalDrops;
            }

            foreach (NetworkInterface networkInterface in stack.Interfaces)
            {
                total += networkInterface.Counters.TotalDrops;
            }

            return total;
        }

        /// <summary>Records real traffic of every kind between the two hosts, leaving a TCP connection open.</summary>
        private static List<byte[]> Capture(TwoHostNetwork net)
        {
            var frames = new List<byte[]>();
            net.Link.Filter = (from, frame) =>
            {
                frames.Add((byte[])frame.Clone());
                return false;
            };
            TcpListener listener = net.B.Tcp.Listen(80);
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressB, 80);
            TcpConnection? server = null;
            Assert.True(net.RunUntil(() => listener.TryAccept(out server) == NetworkResult.Success, 5_000));
            client.Send(TestData.Pattern(5000), out _);
            server!.Send(TestData.Pattern(3000), out _);
            UdpSocket udp = net.B.Udp.Open(53);
            net.A.Udp.Open().SendTo(TestData.Pattern(3000), TwoHostNetwork.AddressB, 53);   // fragmented
            net.A.Icmp.Ping(TwoHostNetwork.AddressB);
            net.RunFor(2_000);
            net.Link.Filter = null;
            return frames;
        }

        private static void FixChecksums(byte[] frame)
        {
            if (frame.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != EtherType.Ipv4)
            {
                return;
            }

            int headerLength = (frame[14] & 0x0F) * 4;
            if (headerLength < 20 || 14 + headerLength > frame.Length)
            {
                return;
            }

            frame[24] = frame[25] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), InternetChecksum.Compute(frame.AsSpan(14, headerLength)));
            int total = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16)), frame.Length - 14);
            if (total <= headerLength)
            {
                return;
            }

            Span<byte> payload = frame.AsSpan(14 + headerLength, total - headerLength);
            var source = Ipv4Address.Read(frame.AsSpan(26));
            var destination = Ipv4Address.Read(frame.AsSpan(30));
            int field = frame[23] switch { IpProtocol.Tcp => 16, IpProtocol.Udp => 6, IpProtocol.Icmp => 2, _ => -1 };
            if (field < 0 || payload.Length < field + 2)
            {
                return;
            }

            payload[field] = payload[field + 1] = 0;
            uint sum = frame[23] == IpProtocol.Icmp ? 0 : PseudoHeader.Add(0, source, destination, frame[23], payload.Length);
            BinaryPrimitives.WriteUInt16BigEndian(payload.Slice(field), InternetChecksum.Finish(InternetChecksum.Add(sum, payload)));
        }

        [Fact]
        public void MutatedAndRandomFramesAreDroppedWithoutExceptions()
        {
            var net = new TwoHostNetwork(11);
            List<byte[]> corpus = Capture(net);
            Assert.True(corpus.Count > 10, $"{corpus.Count} frames captured");
            var random = new Random(1234);
            long dropsBefore = TotalDrops(net.B);
            for (int i = 0; i < 20_000; i++)
            {
                byte[] frame;
                int kind = random.Next(10);
                if (kind == 0)
                {
                    frame = new byte[random.Next(0, 1600)];
                    random.NextBytes(frame);
                    if (frame.Length >= 14 && random.Next(2) == 0)
                    {
                        net.DeviceB.Mac.Write(frame);
                        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), random.Next(2) == 0 ? EtherType.Ipv4 : EtherType.Arp);
                    }
                }
                else
                {
                    byte[] original = corpus[random.Next(corpus.Count)];
                    frame = (byte[])original.Clone();
                    net.DeviceB.Mac.Write(frame);   // everything aimed at B
                    int flips = random.Next(1, 6);
                    for (int f = 0; f < flips && frame.Length > 14; f++)
                    {
                        // Mostly the headers, where the parsers look.
                        int position = 14 + (random.Next(3) == 0 ? random.Next(frame.Length - 14) : random.Next(Math.Min(60, frame.Length - 14)));
                        frame[position] ^= (byte)(1 << random.Next(8));
                    }

                    if (kind == 1)
                    {
                        frame = frame.AsSpan(0, random.Next(frame.Length + 1)).ToArray();
                    }
                    else if (kind == 2)
                    {
                        Array.Resize(ref frame, frame.Length + random.Next(1, 64));
                    }

                    if (kind >= 5)
                    {
                        FixChecksums(frame);   // get past the checksums into the deeper parsers and state machines
                    }
                }

                net.DeviceB.Inject(frame);
                if (i % 16 == 0)
                {
                    net.B.Poll();
                    net.DeviceB.Sent.Clear();
                }

                if (i % 512 == 0)
                {
                    net.Clock.Advance(random.Next(0, 5_000));
                }
            }

            net.B.Poll();
            Assert.Equal(0, net.B.InternalErrors);
            long drops = TotalDrops(net.B) - dropsBefore;
            Assert.True(drops > 10_000, $"only {drops} drops counted");
            Assert.True(net.B.Counters.Ipv4.Drops(NetworkDropReason.BadChecksum) > 0);
            Assert.True(net.B.Counters.Tcp.Drops(NetworkDropReason.BadChecksum) + net.B.Counters.Udp.Drops(NetworkDropReason.BadChecksum) > 0);
            Assert.True(net.B.Counters.Ipv4.Drops(NetworkDropReason.Truncated) + net.B.Counters.Ipv4.Drops(NetworkDropReason.BadLength) > 0);
            Assert.True(net.DeviceB.Received.Count == 0);
        }

        [Fact]
        public void ParsersSurviveRandomInput()
        {
            var random = new Random(99);
            var good = new DhcpMessage { MessageType = DhcpMessageType.Ack, Operation = 2, LeaseTime = 60 };
            good.Routers.Add(new Ipv4Address(1, 2, 3, 4));
            var dhcp = new byte[good.EncodedLength];
            good.Write(dhcp);
            byte[] dns =
            {
                0xbe, 0xef, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x61, 0x00, 0x00, 0x01, 0x00, 0x01,
                0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x02, 0xc0, 0x0c,
                0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 0x5d, 0xb8, 0xd8, 0x22,
            };
            for (int i = 0; i < 20_000; i++)
            {
                byte[] d = (byte[])(i % 2 == 0 ? dhcp : dns).Clone();
                for (int f = random.Next(1, 8); f > 0; f--)
                {
                    d[random.Next(d.Length)] = (byte)random.Next(256);
                }

                d = d.AsSpan(0, random.Next(d.Length / 2, d.Length + 1)).ToArray();
                DhcpMessage.TryParse(d, out _, out _);
                DnsMessage.TryParse(d, out _, out _);
                int offset = random.Next(d.Length);
                DnsName.TryRead(d, ref offset, out _);
            }
        }
    }
}
