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
    internal static partial class SeedCorpus
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

            WriteVirtioSeeds(directory);
            WriteGpuSeeds(directory);
            WriteBlockIoSeeds(directory);

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

        // The operation encoding is VirtioHarnesses.VirtqueueUsed's; configurations follow VirtIO 1.2 §5.2.4 (blk), §5.1.4 (net), §5.8.4 (input).
        private static void WriteVirtioSeeds(string directory)
        {
            static byte[] Le16(int v) => [(byte)v, (byte)(v >> 8)];
            static byte[] Le32(uint v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];
            static byte[] Complete(int id, uint length) => [0, .. Le16(id), .. Le32(length)];

            // Setup 0x13: indirect descriptors and event index, 32 entries. Three requests are in flight (tokens 0, 1, 2).
            Seed(directory, "virtqueue-used", "in-order", [0x13, .. Complete(0, 0), 2, 4, .. Complete(1, 512), .. Complete(2, 1024), 3, 4, 4, 6, 1, 7, 2, 4]);
            Seed(directory, "virtqueue-used", "out-of-order", [0x13, .. Complete(2, 16), 9, 1, .. Complete(0, 0), 5, 0, 5, 1, 8, .. Complete(1, 4), 3, 4, 4]);
            Seed(directory, "virtqueue-used", "chains-no-indirect", [0x0C, .. Complete(0, 0), .. Complete(1, 512), .. Complete(3, 1024), 2, 4, 4, 4, 6, 2, 6, 5, 7]);
            Seed(directory, "virtqueue-used", "lying-index", [0x13, 1, 0x40, 0x00, 2, 4, .. Complete(7, 0xFFFFFFFF), 3]);

            byte[] blkConfig = [.. Le32(8192), .. Le32(0), .. Le32(65536), .. Le32(128), .. Le16(16), 4, 32, .. Le32(4096), 0, 3, .. Le16(1), .. Le32(0), .. Le32(0), 1, 0, .. Le16(1), .. Le32(2048), .. Le32(64), .. Le32(8), .. Le32(2048), .. Le32(64), 0, 0, 0, 0];
            Seed(directory, "virtio-config", "blk", [0, 0x66, 0x62, 0x00, .. blkConfig]);
            Seed(directory, "virtio-config", "net", [1, 0x28, 0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, .. Le16(1), .. Le16(1), .. Le16(1500)]);
            byte[] name = new byte[129];
            name[0] = 13;
            "fuzz keyboard"u8.CopyTo(name.AsSpan(1));
            byte[] keys = new byte[129];
            keys[0] = 96;
            keys.AsSpan(1, 96).Fill(0xFF);
            byte[] none = new byte[129];
            byte[] absolute = new byte[129];
            absolute[0] = 1;
            absolute[1] = 3;
            byte[] axis = new byte[129];
            axis[0] = 20;
            Le32(32767).CopyTo(axis.AsSpan(5));
            Seed(directory, "virtio-config", "input-keyboard", [2, 0, 0, 0, .. name, .. keys, .. none, .. none, .. none, .. none]);
            Seed(directory, "virtio-config", "input-tablet", [2, 0, 0, 0, .. name, .. keys, .. none, .. absolute, .. none, .. none, .. axis, .. axis]);

            static byte[] Event(uint length, int type, int code, int value) => [.. Le32(length), .. Le16(type), .. Le16(code), .. Le32((uint)value)];
            Seed(directory, "virtio-input", "key-press", Records(Event(8, 1, 30, 1), Event(8, 0, 0, 0), Event(8, 1, 30, 0), Event(8, 0, 0, 0)));
            Seed(directory, "virtio-input", "pointer", Records(Event(8, 3, 0, 100), Event(8, 3, 1, 32767), Event(8, 2, 0, -5), Event(8, 1, 0x110, 1), Event(8, 0, 0, 0)));
            Seed(directory, "virtio-input", "short-and-odd", Records(Event(4, 1, 30, 1), Event(8, 17, 1, 1), Event(12, 1, 30, 2)));

            byte[] frame = FuzzHost.Ethernet(FuzzHost.HostMac, FuzzHost.PeerMac, EtherType.Ipv4, FuzzHost.Ipv4(Peer, Host, IpProtocol.Icmp, Icmp(8, 0, new byte[4], new byte[32])));
            byte[] header = new byte[12];
            header[10] = 1;   // num_buffers
            Seed(directory, "virtio-net-rx", "frames", [0, .. Records([.. Le32((uint)(12 + frame.Length)), .. header, .. frame], [.. Le32(12 + 60), .. header, .. new byte[60]])]);
            byte[] partial = (byte[])header.Clone();
            partial[0] = 1;   // NEEDS_CSUM, csum_start 34, csum_offset 2
            partial[6] = 34;
            partial[8] = 2;
            Seed(directory, "virtio-net-rx", "mergeable-checksum", [1, .. Records([.. Le32((uint)(12 + frame.Length)), .. partial, .. frame], [.. Le32(4), .. header])]);
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
