using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.System.Network;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// One network stack (10.0.0.2/24, gateway and DNS server 10.0.0.1) on a <see cref="FuzzNetworkDevice"/>, on a
    /// clock the harness moves, with a fixed random seed so that every run of one input is the same run.
    /// The stack catches an exception in its frame handler, counts it in <c>InternalErrors</c> and carries on
    /// (a bug must not take the kernel's network down): <see cref="CheckHealthy"/> turns that count into a finding.
    /// </summary>
    internal sealed class FuzzHost
    {
        public static readonly MacAddress PeerMac = new(0x020000000001);
        public static readonly MacAddress HostMac = new(0x020000000002);
        public static readonly Ipv4Address PeerAddress = new(10, 0, 0, 1);
        public static readonly Ipv4Address Address = new(10, 0, 0, 2);

        private readonly List<string> _log = new();

        public FuzzHost(bool configure = true)
        {
            Device = new FuzzNetworkDevice(HostMac);
            Stack = new NetworkStack(Clock, 7) { Logger = _log.Add };
            Interface = Stack.AddInterface(Device, "eth0");
            if (configure)
            {
                Interface.Configure(Address, Ipv4Address.MaskFromPrefixLength(24), PeerAddress, new[] { PeerAddress });
                Interface.Arp.Add(PeerAddress, PeerMac);
            }
        }

        public FuzzClock Clock { get; } = new();

        public FuzzNetworkDevice Device { get; }

        public NetworkStack Stack { get; }

        public NetworkInterface Interface { get; }

        /// <summary>Delivers <paramref name="frame"/>, lets the stack handle it and checks that nothing failed inside.</summary>
        public void Receive(byte[] frame)
        {
            Device.Received.Enqueue(frame);
            Stack.Poll();
            CheckHealthy();
        }

        /// <summary>Moves the clock in steps (each runs the due timers) and checks that nothing failed inside.</summary>
        public void Advance(long milliseconds, long step = 250)
        {
            for (long passed = 0; passed < milliseconds; passed += step)
            {
                Clock.Milliseconds += Math.Min(step, milliseconds - passed);
                Stack.Poll();
            }

            CheckHealthy();
        }

        public void CheckHealthy()
        {
            if (Stack.InternalErrors > 0)
            {
                throw new FuzzFindingException($"the stack caught {Stack.InternalErrors} internal error(s): {string.Join(" | ", _log)}");
            }
        }

        /// <summary>An Ethernet II frame (padded to the 60-byte minimum, as a NIC delivers it).</summary>
        public static byte[] Ethernet(MacAddress destination, MacAddress source, ushort etherType, ReadOnlySpan<byte> payload)
        {
            byte[] frame = new byte[Math.Max(14 + payload.Length, 60)];
            destination.Write(frame.AsSpan(0));
            source.Write(frame.AsSpan(6));
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
            payload.CopyTo(frame.AsSpan(14));
            return frame;
        }

        /// <summary>An IPv4 packet of 20-byte header (checksum filled in) and <paramref name="payload"/>, with the payload's checksum fixed.</summary>
        public static byte[] Ipv4(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> payload, ushort identification = 1)
        {
            byte[] packet = new byte[20 + payload.Length];
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)Math.Min(packet.Length, ushort.MaxValue));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identification);
            packet[8] = 64;
            packet[9] = protocol;
            source.Write(packet.AsSpan(12));
            destination.Write(packet.AsSpan(16));
            payload.CopyTo(packet.AsSpan(20));
            FixIpv4HeaderChecksum(packet);
            FixTransportChecksum(packet);
            return packet;
        }

        /// <summary>Fills in the header checksum where the header length field fits the packet (else leaves it for the stack to reject).</summary>
        public static void FixIpv4HeaderChecksum(byte[] packet)
        {
            if (packet.Length < 20)
            {
                return;
            }

            int headerLength = (packet[0] & 0x0F) * 4;
            if (headerLength < 20 || headerLength > packet.Length)
            {
                return;
            }

            packet[10] = packet[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, headerLength)));
        }

        /// <summary>Fills in the TCP, UDP or ICMP checksum of an unfragmented packet with a 20-byte header.</summary>
        public static void FixTransportChecksum(byte[] packet)
        {
            if (packet.Length < 20 || (packet[0] & 0x0F) != 5)
            {
                return;
            }

            Span<byte> payload = packet.AsSpan(20);
            int field = packet[9] switch { 6 => 16, 17 => 6, 1 => 2, _ => -1 };
            if (field < 0 || payload.Length < field + 2)
            {
                return;
            }

            payload[field] = payload[field + 1] = 0;
            uint sum = packet[9] == 1
                ? 0
                : PseudoHeader.Add(0, Ipv4Address.Read(packet.AsSpan(12)), Ipv4Address.Read(packet.AsSpan(16)), packet[9], payload.Length);
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(sum, payload));
            if (checksum == 0 && packet[9] == 17)
            {
                checksum = 0xFFFF; // RFC 768: zero means "no checksum"
            }

            BinaryPrimitives.WriteUInt16BigEndian(payload.Slice(field), checksum);
        }

        /// <summary>A frame from the peer to this host carrying <paramref name="payload"/> as <paramref name="protocol"/>.</summary>
        public static byte[] FromPeer(byte protocol, ReadOnlySpan<byte> payload, ushort identification = 1) =>
            Ethernet(HostMac, PeerMac, EtherType.Ipv4, Ipv4(PeerAddress, Address, protocol, payload, identification));

        /// <summary>The UDP payloads the stack sent to <paramref name="port"/>, newest last, with the source port of each.</summary>
        public List<(ushort SourcePort, byte[] Payload)> SentUdp(ushort port)
        {
            var found = new List<(ushort, byte[])>();
            foreach (byte[] frame in Device.Sent)
            {
                if (frame.Length < 42 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != EtherType.Ipv4 || frame[23] != 17)
                {
                    continue;
                }

                int udp = 14 + (frame[14] & 0x0F) * 4;
                if (udp + 8 <= frame.Length && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + 2)) == port)
                {
                    int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + 4)), frame.Length - udp);
                    found.Add((BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp)), frame.AsSpan(udp + 8, Math.Max(0, length - 8)).ToArray()));
                }
            }

            return found;
        }

        /// <summary>A UDP datagram header and payload (checksum left to <see cref="Ipv4"/>).</summary>
        public static byte[] Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
        {
            byte[] datagram = new byte[8 + payload.Length];
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(0), sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)Math.Min(datagram.Length, ushort.MaxValue));
            payload.CopyTo(datagram.AsSpan(8));
            return datagram;
        }
    }

    /// <summary>A clock the harness moves by hand.</summary>
    internal sealed class FuzzClock : INetworkClock
    {
        public long Milliseconds { get; set; } = 1_000;
    }
}
