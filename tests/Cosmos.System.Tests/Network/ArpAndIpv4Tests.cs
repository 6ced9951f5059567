using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>ARP resolution, the cache and its pending queue; IPv4 routing, fragmentation and reassembly.</summary>
    public class ArpAndIpv4Tests
    {
        private static byte[] ArpFrame(ushort operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, MacAddress destination)
        {
            var frame = new byte[60];
            new EthernetHeader(destination, senderMac, EtherType.Arp).Write(frame);
            new ArpPacket(operation, senderMac, senderIp, targetMac, targetIp).Write(frame.AsSpan(14));
            return frame;
        }

        private static ushort EtherTypeOf(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));

        [Fact]
        public void PacketsWaitForArpThenGoOutInOrder()
        {
            var host = new SingleHost();
            UdpSocket socket = host.Stack.Udp.Open(5000);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(NetworkResult.Success, socket.SendTo(new[] { (byte)i }, SingleHost.PeerAddress, 6000));
            }

            Assert.Single(host.Device.Sent);
            byte[] request = host.Device.Sent.Dequeue();
            Assert.Equal(EtherType.Arp, EtherTypeOf(request));
            Assert.True(ArpPacket.TryRead(request.AsSpan(14), out ArpPacket arp, out _));
            Assert.Equal(ArpPacket.OperationRequest, arp.Operation);
            Assert.Equal(SingleHost.PeerAddress, arp.TargetProtocol);

            host.Receive(ArpFrame(ArpPacket.OperationReply, SingleHost.PeerMac, SingleHost.PeerAddress, host.Device.Mac, SingleHost.Address, host.Device.Mac));
            Assert.Equal(3, host.Device.Sent.Count);
            for (int i = 0; i < 3; i++)
            {
                byte[] frame = host.Device.Sent.Dequeue();
                Assert.Equal(SingleHost.PeerMac, MacAddress.Read(frame));
                Assert.Equal(i, frame[14 + 20 + 8]);
            }
        }

        [Fact]
        public void UnansweredArpIsRetriedThenItsPacketsDropped()
        {
            var host = new SingleHost();
            UdpSocket socket = host.Stack.Udp.Open(5000);
            socket.SendTo(new byte[1], SingleHost.PeerAddress, 6000);
            socket.SendTo(new byte[1], SingleHost.PeerAddress, 6000);
            Assert.Single(host.Device.Sent);
            Assert.Equal(host.Clock.Milliseconds + 1000, host.Stack.NextDeadline);
            host.Advance(1000);
            host.Advance(1000);
            Assert.Equal(3, host.Device.Sent.Count);   // three requests, a second apart
            host.Advance(1000);
            Assert.Equal(3, host.Device.Sent.Count);
            Assert.Equal(2, host.Stack.Counters.Arp.Drops(NetworkDropReason.Unresolved));
            Assert.Empty(host.Interface.Arp.Entries);
        }

        [Fact]
        public void PendingQueueIsBounded()
        {
            var host = new SingleHost();
            host.Interface.Arp.MaxPendingPerEntry = 4;
            UdpSocket socket = host.Stack.Udp.Open(5000);
            for (int i = 0; i < 10; i++)
            {
                socket.SendTo(new[] { (byte)i }, SingleHost.PeerAddress, 6000);
            }

            Assert.Equal(6, host.Stack.Counters.Arp.Drops(NetworkDropReason.QueueFull));
            host.Device.Sent.Clear();
            host.Receive(ArpFrame(ArpPacket.OperationReply, SingleHost.PeerMac, SingleHost.PeerAddress, host.Device.Mac, SingleHost.Address, host.Device.Mac));
            var sent = new List<int>();
            while (host.Device.Sent.Count > 0)
            {
                sent.Add(host.Device.Sent.Dequeue()[42]);
            }

            Assert.Equal(new[] { 6, 7, 8, 9 }, sent);   // the newest four
        }

        [Fact]
        public void EntriesExpire()
        {
            var host = new SingleHost();
            host.Receive(ArpFrame(ArpPacket.OperationRequest, SingleHost.PeerMac, SingleHost.PeerAddress, MacAddress.Zero, SingleHost.Address, MacAddress.Broadcast));
            Assert.True(host.Interface.Arp.TryLookup(SingleHost.PeerAddress, out _));
            host.Advance(host.Interface.Arp.EntryLifetime - 1);
            Assert.True(host.Interface.Arp.TryLookup(SingleHost.PeerAddress, out _));
            host.Advance(1);
            Assert.False(host.Interface.Arp.TryLookup(SingleHost.PeerAddress, out _));
            Assert.Empty(host.Interface.Arp.Entries);
        }

        [Fact]
        public void GratuitousArpUpdatesKnownEntriesOnlyAndConflictsAreCounted()
        {
            var host = new SingleHost();
            var other = new Ipv4Address(10, 0, 0, 9);
            var newMac = new MacAddress(0x02000000BEEF);
            host.Receive(ArpFrame(ArpPacket.OperationRequest, newMac, other, MacAddress.Zero, other, MacAddress.Broadcast));
            Assert.False(host.Interface.Arp.TryLookup(other, out _));
            Assert.Empty(host.Device.Sent);

            host.Interface.Arp.Add(SingleHost.PeerAddress, SingleHost.PeerMac);
            host.Receive(ArpFrame(ArpPacket.OperationReply, newMac, SingleHost.PeerAddress, MacAddress.Broadcast, SingleHost.PeerAddress, MacAddress.Broadcast));
            Assert.True(host.Interface.Arp.TryLookup(SingleHost.PeerAddress, out MacAddress updated));
            Assert.Equal(newMac, updated);

            host.Receive(ArpFrame(ArpPacket.OperationRequest, newMac, SingleHost.Address, MacAddress.Zero, SingleHost.Address, MacAddress.Broadcast));
            Assert.Equal(1, host.Interface.Arp.AddressConflicts);
        }

        [Fact]
        public void DefaultGatewayCarriesOffLinkTrafficAndNoRouteFails()
        {
            var host = new SingleHost(configure: false);
            UdpSocket socket = host.Stack.Udp.Open(5000);
            Assert.Equal(NetworkResult.NoRoute, socket.SendTo(new byte[1], new Ipv4Address(8, 8, 8, 8), 53));
            host.Interface.Configure(SingleHost.Address, Ipv4Address.MaskFromPrefixLength(24), new Ipv4Address(10, 0, 0, 254));
            host.Device.Sent.Clear();
            Assert.Equal(NetworkResult.Success, socket.SendTo(new byte[1], new Ipv4Address(8, 8, 8, 8), 53));
            Assert.True(ArpPacket.TryRead(host.Device.Sent.Dequeue().AsSpan(14), out ArpPacket arp, out _));
            Assert.Equal(new Ipv4Address(10, 0, 0, 254), arp.TargetProtocol);
            Assert.Equal(2, host.Stack.Routes.Routes.Count);
            Assert.Equal("0.0.0.0/0 via 10.0.0.254 dev eth0", host.Stack.Routes.Routes[1].ToString());
            host.Interface.Deconfigure();
            Assert.Empty(host.Stack.Routes.Routes);
        }

        [Fact]
        public void ARemovedInterfaceTakesItsRoutesAndIsNoLongerReadOrWritten()
        {
            var host = new SingleHost(configure: false);
            host.Interface.Configure(SingleHost.Address, Ipv4Address.MaskFromPrefixLength(24), new Ipv4Address(10, 0, 0, 254));
            host.Stack.Routes.Add(new Route(new Ipv4Address(192, 168, 0, 0), Ipv4Address.MaskFromPrefixLength(16), new Ipv4Address(10, 0, 0, 253), host.Interface));
            UdpSocket socket = host.Stack.Udp.Open(5000);
            host.Device.Sent.Clear();

            Assert.True(host.Stack.RemoveInterface(host.Interface));
            Assert.Empty(host.Stack.Interfaces);
            Assert.Empty(host.Stack.Routes.Routes);                // its own and the ones added by hand
            Assert.Null(host.Stack.FindInterface("eth0"));
            Assert.Equal(NetworkResult.NoRoute, socket.SendTo(new byte[1], new Ipv4Address(10, 0, 0, 1), 53));
            host.Device.Inject(new byte[60]);
            host.Advance(10_000);
            Assert.Single(host.Device.Received);                   // never read again
            Assert.Empty(host.Device.Sent);                        // nor written: no ARP, no DHCP
            Assert.False(host.Stack.RemoveInterface(host.Interface));
        }

        [Fact]
        public void LargeDatagramsAreFragmentedAndReassembled()
        {
            var net = new TwoHostNetwork();
            UdpSocket receiver = net.B.Udp.Open(7000);
            UdpSocket sender = net.A.Udp.Open();
            byte[] data = TestData.Pattern(4000);
            Assert.Equal(NetworkResult.Success, sender.SendTo(data, TwoHostNetwork.AddressB, 7000));
            var buffer = new byte[65536];
            int length = 0;
            Assert.True(net.RunUntil(() => receiver.ReceiveFrom(buffer, out length, out _, out _) == NetworkResult.Success, 1_000));
            Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
            // 4008 bytes of UDP in 1480-byte pieces: three fragments, plus the announcement and the ARP request.
            Assert.Equal(5, net.InterfaceA.Counters.PacketsOut);
        }

        private static List<byte[]> Fragments(byte[] udpDatagram, int pieceSize, ushort id)
        {
            var frames = new List<byte[]>();
            for (int offset = 0; offset < udpDatagram.Length; offset += pieceSize)
            {
                int length = Math.Min(pieceSize, udpDatagram.Length - offset);
                frames.Add(TcpFrames.Ip(SingleHost.PeerMac, new MacAddress(0x020000000002), SingleHost.PeerAddress, SingleHost.Address, IpProtocol.Udp,
                    udpDatagram.AsSpan(offset, length), id, moreFragments: offset + length < udpDatagram.Length, fragmentOffset: offset));
            }

            return frames;
        }

        private static byte[] UdpDatagram(byte[] data)
        {
            var datagram = new byte[8 + data.Length];
            data.CopyTo(datagram, 8);
            new UdpHeader(1111, 7000, datagram.Length).Write(datagram, SingleHost.PeerAddress, SingleHost.Address);
            return datagram;
        }

        [Theory]
        [InlineData(new[] { 0, 1, 2, 3 })]
        [InlineData(new[] { 3, 2, 1, 0 })]
        [InlineData(new[] { 2, 0, 2, 3, 1 })]   // a duplicate fragment is harmless
        public void FragmentsReassembleInAnyOrder(int[] order)
        {
            var host = new SingleHost();
            UdpSocket socket = host.Stack.Udp.Open(7000);
            byte[] data = TestData.Pattern(3000, 2);
            List<byte[]> fragments = Fragments(UdpDatagram(data), 800, 42);
            Assert.Equal(4, fragments.Count);
            foreach (int index in order)
            {
                Assert.Equal(NetworkResult.WouldBlock, socket.ReceiveFrom(new byte[1], out _, out _, out _));
                host.Receive(fragments[index]);
            }

            var buffer = new byte[4000];
            Assert.Equal(NetworkResult.Success, socket.ReceiveFrom(buffer, out int length, out Ipv4Address from, out ushort port));
            Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
            Assert.Equal(SingleHost.PeerAddress, from);
            Assert.Equal(1111, port);
        }

        [Fact]
        public void OverlappingFragmentsSpoilTheDatagram()
        {
            var host = new SingleHost();
            UdpSocket socket = host.Stack.Udp.Open(7000);
            byte[] datagram = UdpDatagram(TestData.Pattern(3000, 3));
            List<byte[]> fragments = Fragments(datagram, 800, 43);
            host.Receive(fragments[0]);
            // A forged fragment at offset 400 that overlaps the first one.
            host.Receive(TcpFrames.Ip(SingleHost.PeerMac, host.Device.Mac, SingleHost.PeerAddress, SingleHost.Address, IpProtocol.Udp,
                new byte[800], 43, moreFragments: true, fragmentOffset: 400));
            Assert.Equal(1, host.Stack.Counters.Ipv4.Drops(NetworkDropReason.FragmentOverlap));
            for (int i = 1; i < fragments.Count; i++)
            {
                host.Receive(fragments[i]);
            }

            Assert.Equal(NetworkResult.WouldBlock, socket.ReceiveFrom(new byte[4000], out _, out _, out _));
        }

        [Fact]
        public void IncompleteDatagramsTimeOutAndTheirNumberIsLimited()
        {
            var host = new SingleHost();
            byte[] datagram = UdpDatagram(TestData.Pattern(3000, 4));
            host.Receive(Fragments(datagram, 800, 44)[0]);
            Assert.Equal(host.Clock.Milliseconds + 60_000, host.Stack.NextDeadline);
            host.Advance(60_000);
            Assert.Equal(1, host.Stack.Counters.Ipv4.Drops(NetworkDropReason.ReassemblyTimeout));

            for (ushort id = 100; id < 120; id++)
            {
                host.Receive(Fragments(datagram, 800, id)[1]);
            }

            Assert.Equal(4, host.Stack.Counters.Ipv4.Drops(NetworkDropReason.ReassemblyLimit));
            Assert.Equal(16, host.Stack.Ipv4.Reassembler.InProgress);
        }

        [Fact]
        public void BadFragmentLengthsAreDropped()
        {
            var host = new SingleHost();
            // A middle fragment whose length is not a multiple of 8, and one that runs past 65535.
            host.Receive(TcpFrames.Ip(SingleHost.PeerMac, host.Device.Mac, SingleHost.PeerAddress, SingleHost.Address, IpProtocol.Udp,
                new byte[100], 50, moreFragments: true, fragmentOffset: 0));
            host.Receive(TcpFrames.Ip(SingleHost.PeerMac, host.Device.Mac, SingleHost.PeerAddress, SingleHost.Address, IpProtocol.Udp,
                new byte[200], 51, moreFragments: false, fragmentOffset: 65528));
            Assert.Equal(2, host.Stack.Counters.Ipv4.Drops(NetworkDropReason.BadLength));
        }
    }
}
