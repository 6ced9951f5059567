using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Fuzz.Fakes;
using Cosmos.System.Network;

namespace Cosmos.Fuzz.Harnesses
{
    /// <summary>
    /// The network stack's receive path. Its contract for bad input is "drop and count" (a <see cref="NetworkDropReason"/>
    /// per layer): no exception is documented, so every exception is a finding, including one the stack caught itself
    /// (<see cref="FuzzHost.CheckHealthy"/>). The per-layer harnesses wrap the fuzzed bytes in correct lower layers
    /// (addresses, lengths and checksums filled in) so that mutations reach the layer named, not the checksum check.
    /// Inputs of several packets are 2-byte-length-prefixed records (<see cref="InputReader"/>).
    /// </summary>
    internal static class NetworkHarnesses
    {
        public const ushort TcpServerPort = 80;
        public const ushort TcpPeerPort = 40000;
        public const uint TcpPeerInitialSequence = 1000;
        public const ushort UdpServerPort = 53;
        public const string DnsQueryName = "www.example.com";

        public static IEnumerable<Harness> All()
        {
            yield return new Harness("ethernet", "whole frames into NetworkStack's receive path (every layer a frame reaches; sockets listening)", Ethernet);
            yield return new Harness("arp", "ArpPacket.TryRead, and the bytes as an ARP frame into the stack", Arp);
            yield return new Harness("ipv4", "IPv4 packets (header checksum fixed) into the stack: options, fragments and reassembly, timeouts", Ipv4);
            yield return new Harness("icmp", "ICMP messages from the peer (checksum fixed): echo, errors quoting TCP/UDP headers", Icmp);
            yield return new Harness("udp", "UDP datagrams from the peer (checksum fixed) to open and closed ports", Udp);
            yield return new Harness("tcp", "TCP segments (checksum fixed, seq/ack relative to an established connection's) with options and data", Tcp);
            yield return new Harness("dhcp", "DhcpMessage.TryParse, and the messages as server replies (xid matched) to a DHCP client", Dhcp);
            yield return new Harness("dns", "DnsMessage.TryParse, and the messages as responses (id matched) to a pending lookup: CNAME chains, compression", Dns);
        }

        /// <summary>A host with something listening on each protocol, so that frames reach the sockets.</summary>
        private static FuzzHost ListeningHost(out TcpListener listener, out UdpSocket udp)
        {
            var host = new FuzzHost();
            listener = host.Stack.Tcp.Listen(TcpServerPort);
            udp = host.Stack.Udp.Open(UdpServerPort);
            host.Device.Sent.Clear();
            return host;
        }

        /// <summary>Reads what arrived on the sockets, as an application would (delivery paths run too).</summary>
        private static void Drain(TcpListener listener, UdpSocket udp, List<TcpConnection> accepted)
        {
            byte[] buffer = new byte[2048];
            while (listener.TryAccept(out TcpConnection? connection) == NetworkResult.Success && connection != null)
            {
                accepted.Add(connection);
                connection.Send("hello from the fuzzed host"u8, out _);
            }

            foreach (TcpConnection connection in accepted)
            {
                while (connection.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                }
            }

            while (udp.ReceiveFrom(buffer, out _, out _, out _) == NetworkResult.Success)
            {
            }
        }

        private static void Deliver(byte[] input, Func<byte[], byte[]?> toFrame)
        {
            FuzzHost host = ListeningHost(out TcpListener listener, out UdpSocket udp);
            var accepted = new List<TcpConnection>();
            foreach (byte[] record in InputReader.LengthPrefixed(input))
            {
                byte[]? frame = toFrame(record);
                if (frame != null)
                {
                    host.Receive(frame);
                    Drain(listener, udp, accepted);
                    host.Advance(100);
                }
            }

            // Reassembly timeouts, retransmissions, TIME-WAIT: the state the frames left behind must time out cleanly.
            foreach (TcpConnection connection in accepted)
            {
                connection.Close();
            }

            host.Advance(130_000, step: 5_000);
        }

        private static void Ethernet(byte[] input) => Deliver(input, record => record);

        private static void Arp(byte[] input)
        {
            ArpPacket.TryRead(input, out _, out _);
            var host = new FuzzHost();
            host.Receive(FuzzHost.Ethernet(MacAddress.Broadcast, FuzzHost.PeerMac, EtherType.Arp, input));
            host.Receive(FuzzHost.Ethernet(FuzzHost.HostMac, FuzzHost.PeerMac, EtherType.Arp, input));
            host.Stack.Icmp.Ping(new Ipv4Address(10, 0, 0, 9));
            host.Advance(5_000);
        }

        private static void Ipv4(byte[] input) => Deliver(input, record =>
        {
            byte[] packet = (byte[])record.Clone();
            FuzzHost.FixIpv4HeaderChecksum(packet);
            return FuzzHost.Ethernet(FuzzHost.HostMac, FuzzHost.PeerMac, EtherType.Ipv4, packet);
        });

        private static void Icmp(byte[] input) => Deliver(input, record => FuzzHost.FromPeer(IpProtocol.Icmp, record));

        private static void Udp(byte[] input) => Deliver(input, record => FuzzHost.FromPeer(IpProtocol.Udp, record));

        /// <summary>
        /// The harness opens a connection to the host's listener (SYN, the host's SYN-ACK, ACK), the host sends data,
        /// then each record is a segment from the peer whose ports are forced to the connection's and whose sequence and
        /// acknowledgement numbers are offsets from the peer's and the host's next sequence numbers.
        /// </summary>
        private static void Tcp(byte[] input)
        {
            FuzzHost host = ListeningHost(out TcpListener listener, out UdpSocket _);
            uint hostSequence = Handshake(host, listener, out TcpConnection server);
            server.Send(new byte[3000], out _);
            uint peerNext = TcpPeerInitialSequence + 1;
            byte[] buffer = new byte[4096];
            foreach (byte[] record in InputReader.LengthPrefixed(input))
            {
                if (record.Length < 20)
                {
                    continue;
                }

                byte[] segment = (byte[])record.Clone();
                BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(0), TcpPeerPort);
                BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), TcpServerPort);
                BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), peerNext + BinaryPrimitives.ReadUInt32BigEndian(segment.AsSpan(4)));
                BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), hostSequence + BinaryPrimitives.ReadUInt32BigEndian(segment.AsSpan(8)));
                host.Receive(FuzzHost.FromPeer(IpProtocol.Tcp, segment));
                while (server.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                }

                host.Advance(50);
            }

            server.Close();
            host.Advance(130_000, step: 5_000);
        }

        /// <summary>Opens the connection the TCP harness works on; returns the host's next sequence number.</summary>
        public static uint Handshake(FuzzHost host, TcpListener listener, out TcpConnection server)
        {
            host.Receive(FuzzHost.FromPeer(IpProtocol.Tcp, TcpSegment(TcpPeerInitialSequence, 0, 0x02, 65535, new byte[] { 2, 4, 0x05, 0xB4 }, default)));
            byte[] synAck = host.Device.Sent[^1];
            uint hostSequence = BinaryPrimitives.ReadUInt32BigEndian(synAck.AsSpan(14 + 20 + 4)) + 1;
            host.Receive(FuzzHost.FromPeer(IpProtocol.Tcp, TcpSegment(TcpPeerInitialSequence + 1, hostSequence, 0x10, 65535, default, default)));
            if (listener.TryAccept(out TcpConnection? accepted) != NetworkResult.Success || accepted == null)
            {
                throw new FuzzFindingException("the TCP harness's handshake did not produce a connection");
            }

            server = accepted;
            return hostSequence;
        }

        /// <summary>A TCP segment from the peer's port to the server's (checksum left to <see cref="FuzzHost.Ipv4"/>).</summary>
        public static byte[] TcpSegment(uint sequence, uint acknowledgement, byte flags, ushort window, ReadOnlySpan<byte> options, ReadOnlySpan<byte> data)
        {
            int headerLength = 20 + ((options.Length + 3) & ~3);
            byte[] segment = new byte[headerLength + data.Length];
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(0), TcpPeerPort);
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), TcpServerPort);
            BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), acknowledgement);
            segment[12] = (byte)((headerLength / 4) << 4);
            segment[13] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), window);
            options.CopyTo(segment.AsSpan(20));
            data.CopyTo(segment.AsSpan(headerLength));
            return segment;
        }

        /// <summary>Each record is a BOOTP/DHCP message; the harness answers the client's latest request with it.</summary>
        private static void Dhcp(byte[] input)
        {
            var host = new FuzzHost(configure: false);
            host.Interface.StartDhcp();
            host.Advance(10);
            foreach (byte[] record in InputReader.LengthPrefixed(input))
            {
                DhcpMessage.TryParse(record, out _, out _);
                List<(ushort SourcePort, byte[] Payload)> requests = host.SentUdp(DhcpMessage.ServerPort);
                byte[] reply = (byte[])record.Clone();
                if (requests.Count > 0 && reply.Length >= 8 && requests[^1].Payload.Length >= 8)
                {
                    requests[^1].Payload.AsSpan(4, 4).CopyTo(reply.AsSpan(4));
                }

                byte[] packet = FuzzHost.Ipv4(FuzzHost.PeerAddress, Ipv4Address.Broadcast, IpProtocol.Udp,
                    FuzzHost.Udp(DhcpMessage.ServerPort, DhcpMessage.ClientPort, reply));
                host.Receive(FuzzHost.Ethernet(MacAddress.Broadcast, FuzzHost.PeerMac, EtherType.Ipv4, packet));
                host.Advance(500);
            }

            // Renewal, rebinding and expiry of whatever lease the replies gave.
            host.Advance(3 * 86_400_000L, step: 3_600_000);
        }

        /// <summary>Each record is a DNS message; the harness answers the resolver's latest query with it (id and port matched).</summary>
        private static void Dns(byte[] input)
        {
            var host = new FuzzHost();
            if (host.Stack.Dns.Servers.Count == 0)
            {
                host.Stack.Dns.Servers.Add(FuzzHost.PeerAddress);
            }

            DnsLookup lookup = host.Stack.Dns.Resolve(DnsQueryName);
            host.Advance(10);
            foreach (byte[] record in InputReader.LengthPrefixed(input))
            {
                DnsMessage.TryParse(record, out _, out _);
                List<(ushort SourcePort, byte[] Payload)> queries = host.SentUdp(UdpServerPort);
                if (queries.Count == 0)
                {
                    break;
                }

                byte[] reply = (byte[])record.Clone();
                if (reply.Length >= 2 && queries[^1].Payload.Length >= 2)
                {
                    queries[^1].Payload.AsSpan(0, 2).CopyTo(reply);
                }

                host.Receive(FuzzHost.FromPeer(IpProtocol.Udp, FuzzHost.Udp(UdpServerPort, queries[^1].SourcePort, reply)));
                host.Advance(100);
            }

            host.Advance(30_000, step: 1_000);
            _ = lookup.Status;
            host.Stack.Dns.Resolve(DnsQueryName);   // from the cache the replies filled
            host.Advance(30_000, step: 1_000);
        }
    }
}
