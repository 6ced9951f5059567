using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Cosmos.Fuzz.Fakes;
using Cosmos.Fuzz.Harnesses;
using Cosmos.System.Network;

namespace Cosmos.Fuzz
{
    /// <summary>
    /// Writes the seeds that are built from the specifications rather than by a tool (the FAT and partition seeds
    /// come from mkfs.fat, sfdisk and sgdisk: make-storage-seeds.sh). Small valid examples of each input, so the
    /// fuzzer starts inside every layer rather than at its first length check. The output is committed under corpus/.
    /// </summary>
    internal static class SeedCorpus
    {
        private static readonly Ipv4Address Peer = FuzzHost.PeerAddress;
        private static readonly Ipv4Address Host = FuzzHost.Address;

        public static void Write(string directory)
        {
            Seed(directory, "arp", "request", ArpPacket(1, FuzzHost.PeerMac, Peer, MacAddress.Zero, Host));
            Seed(directory, "arp", "reply", ArpPacket(2, FuzzHost.PeerMac, Peer, FuzzHost.HostMac, Host));
            Seed(directory, "arp", "gratuitous", ArpPacket(1, FuzzHost.PeerMac, Peer, MacAddress.Zero, Peer));

            byte[] echo = Icmp(8, 0, [0x12, 0x34, 0x00, 0x01], Encoding.ASCII.GetBytes("abcdefghijklmnopqrstuvwabcdefghi"));
            byte[] toOpenPort = FuzzHost.Udp(5353, NetworkHarnesses.UdpServerPort, Encoding.ASCII.GetBytes("a datagram"));
            byte[] toClosedPort = FuzzHost.Udp(5353, 9999, Encoding.ASCII.GetBytes("nobody listens"));
            byte[] syn = NetworkHarnesses.TcpSegment(7000, 0, 0x02, 29200, [2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7], default);
            Seed(directory, "ethernet", "arp-request", FuzzHost.Ethernet(MacAddress.Broadcast, FuzzHost.PeerMac, EtherType.Arp, ArpPacket(1, FuzzHost.PeerMac, Peer, MacAddress.Zero, Host)));
            Seed(directory, "ethernet", "icmp-echo", Records(FuzzHost.FromPeer(IpProtocol.Icmp, echo)));
            Seed(directory, "ethernet", "udp", Records(FuzzHost.FromPeer(IpProtocol.Udp, toOpenPort), FuzzHost.FromPeer(IpProtocol.Udp, toClosedPort)));
            Seed(directory, "ethernet", "tcp-syn", Records(FuzzHost.FromPeer(IpProtocol.Tcp, syn)));
            Seed(directory, "ethernet", "fragments", Records(Fragments(IpProtocol.Udp, FuzzHost.Udp(5353, NetworkHarnesses.UdpServerPort, new byte[2000]), 1480, 77)
                .ConvertAll(p => FuzzHost.Ethernet(FuzzHost.HostMac, FuzzHost.PeerMac, EtherType.Ipv4, p)).ToArray()));

            byte[] withOptions = FuzzHost.Ipv4(Peer, Host, IpProtocol.Icmp, echo);
            Seed(directory, "ipv4", "icmp-echo", Records(withOptions));
            Seed(directory, "ipv4", "options", Records(WithIpOptions(withOptions, [0x01, 0x01, 0x07, 0x07, 0x04, 0, 0, 0, 0, 0x00, 0x00, 0x00])));
            List<byte[]> fragments = Fragments(IpProtocol.Udp, FuzzHost.Udp(5353, NetworkHarnesses.UdpServerPort, new byte[3000]), 1000, 78);
            Seed(directory, "ipv4", "fragments", Records(fragments.ToArray()));
            fragments.Reverse();
            Seed(directory, "ipv4", "fragments-reversed", Records(fragments.ToArray()));
            Seed(directory, "ipv4", "fragments-overlapping", Records(Fragments(IpProtocol.Icmp, echo, 16, 79)[0], Fragments(IpProtocol.Icmp, echo, 24, 79)[1], Fragments(IpProtocol.Icmp, echo, 8, 79)[2]));

            Seed(directory, "icmp", "echo", Records(echo));
            byte[] quotedUdp = FuzzHost.Ipv4(Host, Peer, IpProtocol.Udp, FuzzHost.Udp(53000, 53, new byte[8]));
            Seed(directory, "icmp", "port-unreachable", Records(Icmp(3, 3, new byte[4], quotedUdp.AsSpan(0, 28))));
            byte[] quotedTcp = FuzzHost.Ipv4(Host, Peer, IpProtocol.Tcp, NetworkHarnesses.TcpSegment(1, 2, 0x10, 100, default, default));
            Seed(directory, "icmp", "time-exceeded", Records(Icmp(11, 0, new byte[4], quotedTcp.AsSpan(0, 28))));
            Seed(directory, "icmp", "frag-needed", Records(Icmp(3, 4, [0, 0, 0x02, 0x40], quotedTcp.AsSpan(0, 28))));

            Seed(directory, "udp", "open-port", Records(toOpenPort));
            Seed(directory, "udp", "closed-port", Records(toClosedPort, toOpenPort));

            // TCP: sequence and acknowledgement numbers are offsets from the connection's (see NetworkHarnesses.Tcp).
            const byte Ack = 0x10, Psh = 0x08, Fin = 0x01, Rst = 0x04;
            byte[] timestamps = [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1];
            Seed(directory, "tcp", "data", Records(NetworkHarnesses.TcpSegment(0, 0, Ack | Psh, 65535, default, Encoding.ASCII.GetBytes("hello"))));
            Seed(directory, "tcp", "out-of-order", Records(
                NetworkHarnesses.TcpSegment(5, 0, Ack, 65535, default, Encoding.ASCII.GetBytes("world")),
                NetworkHarnesses.TcpSegment(12, 0, Ack, 65535, default, Encoding.ASCII.GetBytes("!")),
                NetworkHarnesses.TcpSegment(0, 0, Ack, 65535, default, Encoding.ASCII.GetBytes("hello")),
                NetworkHarnesses.TcpSegment(0, 0, Ack, 65535, default, Encoding.ASCII.GetBytes("hellow"))));
            Seed(directory, "tcp", "options", Records(
                NetworkHarnesses.TcpSegment(0, 1000, Ack, 65535, timestamps, Encoding.ASCII.GetBytes("ts")),
                NetworkHarnesses.TcpSegment(2, 1000, Ack, 65535, [1, 1, 5, 10, 0, 0, 0x07, 0xD0, 0, 0, 0x0B, 0xB8], default),
                NetworkHarnesses.TcpSegment(2, 3000, Ack, 0, [3, 3, 2, 0], default)));
            Seed(directory, "tcp", "acks-and-fin", Records(
                NetworkHarnesses.TcpSegment(0, 1460, Ack, 1000, default, default),
                NetworkHarnesses.TcpSegment(0, 1460, Ack, 1000, default, default),
                NetworkHarnesses.TcpSegment(0, 1460, Ack, 1000, default, default),
                NetworkHarnesses.TcpSegment(0, 3000, Ack | Fin, 65535, default, Encoding.ASCII.GetBytes("bye"))));
            Seed(directory, "tcp", "reset", Records(NetworkHarnesses.TcpSegment(0, 0, Rst | Ack, 0, default, default)));

            Ipv4Address offered = new(10, 0, 0, 77);
            Seed(directory, "dhcp", "offer-ack", Records(
                Dhcp(2, offered, [(53, [2]), (54, Address(Peer)), (51, Seconds(86400)), (1, Address(new Ipv4Address(255, 255, 255, 0))), (3, Address(Peer)), (6, [.. Address(Peer), .. Address(new Ipv4Address(10, 0, 0, 3))])]),
                Dhcp(2, offered, [(53, [5]), (54, Address(Peer)), (51, Seconds(86400)), (58, Seconds(43200)), (59, Seconds(75600)), (1, Address(new Ipv4Address(255, 255, 255, 0))), (3, Address(Peer)), (15, Encoding.ASCII.GetBytes("example"))])));
            Seed(directory, "dhcp", "offer-nak", Records(
                Dhcp(2, offered, [(53, [2]), (54, Address(Peer)), (51, Seconds(60)), (0, []), (0, [])]),
                Dhcp(2, default, [(53, [6]), (54, Address(Peer)), (56, Encoding.ASCII.GetBytes("no"))])));

            Seed(directory, "dns", "cname-chain", Records(DnsResponse(0, [
                (NetworkHarnesses.DnsQueryName, 5, Name("web.example.com")),
                ("web.example.com", 5, Name("edge.example.net")),
                ("edge.example.net", 1, [93, 184, 216, 34]),
                ("edge.example.net", 1, [93, 184, 216, 35])])));
            Seed(directory, "dns", "cname-then-query", Records(
                DnsResponse(0, [(NetworkHarnesses.DnsQueryName, 5, Name("other.example.org"))]),
                DnsResponse(0, [("other.example.org", 1, [192, 0, 2, 1])], question: "other.example.org")));
            Seed(directory, "dns", "nxdomain", Records(DnsResponse(3, [])));
            Seed(directory, "dns", "truncated", Records(DnsResponse(0, [], truncated: true)));

            foreach ((string name, string line) in new[]
            {
                ("plain", "echo hello world"),
                ("quotes", "cp \"/vda/My Documents/a b.txt\" '/vda/$HOME/x'"),
                ("escapes", "echo a\\ b \\\"c\\\" 'd\\e' \"f\\\"g\""),
                ("url", "wget http://10.0.2.2:8080/index.html?x=1&y=2 out.html"),
                ("unicode", "echo \u00e9t\u00e9 \u65e5\u672c \ud83d\ude00\t tab"),
            })
            {
                Seed(directory, "shell", name, Encoding.UTF8.GetBytes(line));
            }
        }

        private static void Seed(string directory, string harness, string name, byte[] bytes)
        {
            string folder = Path.Combine(directory, harness);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        private static byte[] Records(params byte[][] records) => InputReader.JoinLengthPrefixed(records);

        private static byte[] Address(Ipv4Address address)
        {
            byte[] bytes = new byte[4];
            address.Write(bytes);
            return bytes;
        }

        private static byte[] Seconds(uint seconds)
        {
            byte[] bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, seconds);
            return bytes;
        }

        // RFC 826, for Ethernet and IPv4.
        private static byte[] ArpPacket(ushort operation, MacAddress senderMac, Ipv4Address sender, MacAddress targetMac, Ipv4Address target)
        {
            byte[] packet = new byte[28];
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(0), 1);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), EtherType.Ipv4);
            packet[4] = 6;
            packet[5] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), operation);
            senderMac.Write(packet.AsSpan(8));
            sender.Write(packet.AsSpan(14));
            targetMac.Write(packet.AsSpan(18));
            target.Write(packet.AsSpan(24));
            return packet;
        }

        // RFC 792: type, code, checksum (the harness fills it in), four bytes of header rest, data.
        private static byte[] Icmp(byte type, byte code, ReadOnlySpan<byte> rest, ReadOnlySpan<byte> data)
        {
            byte[] message = new byte[8 + data.Length];
            message[0] = type;
            message[1] = code;
            rest.CopyTo(message.AsSpan(4));
            data.CopyTo(message.AsSpan(8));
            return message;
        }

        // RFC 791 §3.2: fragments of `payload` carrying at most `fragmentBytes` (a multiple of 8) each.
        private static List<byte[]> Fragments(byte protocol, byte[] payload, int fragmentBytes, ushort identification)
        {
            byte[] whole = FuzzHost.Ipv4(Peer, Host, protocol, payload, identification);
            var fragments = new List<byte[]>();
            for (int offset = 0; offset < payload.Length; offset += fragmentBytes)
            {
                int length = Math.Min(fragmentBytes, payload.Length - offset);
                byte[] fragment = new byte[20 + length];
                whole.AsSpan(0, 20).CopyTo(fragment);
                whole.AsSpan(20 + offset, length).CopyTo(fragment.AsSpan(20));
                BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(2), (ushort)fragment.Length);
                bool more = offset + length < payload.Length;
                BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), (ushort)((more ? 0x2000 : 0) | (offset / 8)));
                FuzzHost.FixIpv4HeaderChecksum(fragment);
                fragments.Add(fragment);
            }

            return fragments;
        }

        private static byte[] WithIpOptions(byte[] packet, byte[] options)
        {
            byte[] result = new byte[packet.Length + options.Length];
            packet.AsSpan(0, 20).CopyTo(result);
            options.CopyTo(result.AsSpan(20));
            packet.AsSpan(20).CopyTo(result.AsSpan(20 + options.Length));
            result[0] = (byte)(0x40 | ((20 + options.Length) / 4));
            BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)result.Length);
            FuzzHost.FixIpv4HeaderChecksum(result);
            return result;
        }

        // RFC 2131 §2 and RFC 2132: a BOOTREPLY to the fuzzed host's MAC with options (code 0 is a pad byte).
        private static byte[] Dhcp(byte operation, Ipv4Address yourAddress, (byte Code, byte[] Value)[] options)
        {
            var bytes = new List<byte>(new byte[240]);
            bytes[0] = operation;
            bytes[1] = 1;
            bytes[2] = 6;
            byte[] your = Address(yourAddress);
            for (int i = 0; i < 4; i++)
            {
                bytes[16 + i] = your[i];
            }

            byte[] mac = new byte[6];
            FuzzHost.HostMac.Write(mac);
            for (int i = 0; i < 6; i++)
            {
                bytes[28 + i] = mac[i];
            }

            byte[] cookie = [99, 130, 83, 99];
            for (int i = 0; i < 4; i++)
            {
                bytes[236 + i] = cookie[i];
            }

            foreach ((byte code, byte[] value) in options)
            {
                bytes.Add(code);
                if (code != 0)
                {
                    bytes.Add((byte)value.Length);
                    bytes.AddRange(value);
                }
            }

            bytes.Add(255);
            return bytes.ToArray();
        }

        // RFC 1035 §3.1: labels (no compression: the response writer compresses where it can).
        private static byte[] Name(string name)
        {
            var bytes = new List<byte>();
            foreach (string label in name.Split('.'))
            {
                bytes.Add((byte)label.Length);
                bytes.AddRange(Encoding.ASCII.GetBytes(label));
            }

            bytes.Add(0);
            return bytes.ToArray();
        }

        /// <summary>
        /// A response (RFC 1035 §4.1) to an A query for <paramref name="question"/> (the id is patched by the harness).
        /// Owner names equal to the question's are written as a pointer to it (§4.1.4), and so is the end of a CNAME
        /// target that matches an earlier name's suffix: compression pointers in both places a resolver meets them.
        /// </summary>
        private static byte[] DnsResponse(int responseCode, (string Owner, ushort Type, byte[] Data)[] answers, string question = NetworkHarnesses.DnsQueryName, bool truncated = false)
        {
            var bytes = new List<byte> { 0, 0, (byte)(0x81 | (truncated ? 0x02 : 0)), (byte)(0x80 | responseCode), 0, 1, 0, (byte)answers.Length, 0, 0, 0, 0 };
            var offsets = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            WriteName(bytes, offsets, question);
            bytes.AddRange(new byte[] { 0, 1, 0, 1 });
            foreach ((string owner, ushort type, byte[] data) in answers)
            {
                WriteName(bytes, offsets, owner);
                bytes.AddRange(new byte[] { 0, (byte)type, 0, 1, 0, 0, 0x0E, 0x10 });
                if (type == 5)
                {
                    var target = new List<byte>();
                    int start = bytes.Count + 2;
                    WriteName(target, offsets, Encoding.ASCII.GetString(data.AsSpan(1, data[0])) + DecodeRest(data), start);
                    bytes.Add((byte)(target.Count >> 8));
                    bytes.Add((byte)target.Count);
                    bytes.AddRange(target);
                }
                else
                {
                    bytes.Add((byte)(data.Length >> 8));
                    bytes.Add((byte)data.Length);
                    bytes.AddRange(data);
                }
            }

            return bytes.ToArray();
        }

        private static string DecodeRest(byte[] name)
        {
            var labels = new StringBuilder();
            for (int i = 1 + name[0]; name[i] != 0; i += 1 + name[i])
            {
                labels.Append('.').Append(Encoding.ASCII.GetString(name, i + 1, name[i]));
            }

            return labels.ToString();
        }

        private static void WriteName(List<byte> bytes, Dictionary<string, int> offsets, string name, int baseOffset = -1)
        {
            int origin = baseOffset < 0 ? 0 : baseOffset;
            string rest = name;
            while (rest.Length > 0)
            {
                if (offsets.TryGetValue(rest, out int pointer))
                {
                    bytes.Add((byte)(0xC0 | (pointer >> 8)));
                    bytes.Add((byte)pointer);
                    return;
                }

                offsets[rest] = origin + bytes.Count;
                int dot = rest.IndexOf('.');
                string label = dot < 0 ? rest : rest[..dot];
                bytes.Add((byte)label.Length);
                bytes.AddRange(Encoding.ASCII.GetBytes(label));
                rest = dot < 0 ? "" : rest[(dot + 1)..];
            }

            bytes.Add(0);
        }
    }
}
