using System;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>Ping in both directions and UDP sockets between two stacks.</summary>
    public class IcmpAndUdpTests
    {
        [Fact]
        public void PingMeasuresTheRoundTrip()
        {
            var net = new TwoHostNetwork();
            net.Link.LatencyMilliseconds = 7;
            PingRequest first = net.A.Icmp.Ping(TwoHostNetwork.AddressB);
            Assert.True(net.RunUntil(() => first.IsComplete, 2_000));
            Assert.Equal(PingStatus.Replied, first.Status);
            PingRequest second = net.A.Icmp.Ping(TwoHostNetwork.AddressB, payloadLength: 1000);
            Assert.True(net.RunUntil(() => second.IsComplete, 2_000));
            Assert.Equal(PingStatus.Replied, second.Status);
            Assert.InRange(second.RoundTripMilliseconds, 14, 16);
            Assert.Equal(64, second.ReplyTimeToLive);
            Assert.Equal(TwoHostNetwork.AddressB, second.Responder);
            Assert.Equal((ushort)(first.Sequence + 1), second.Sequence);
            Assert.Equal(2, net.B.Counters.Icmp.PacketsOut);
        }

        [Fact]
        public void UnansweredPingTimesOutAndLoopbackPingAnswers()
        {
            var net = new TwoHostNetwork();
            net.B.Icmp.RespondToEcho = false;
            PingRequest ping = net.A.Icmp.Ping(TwoHostNetwork.AddressB, timeoutMilliseconds: 500);
            Assert.True(net.RunUntil(() => ping.IsComplete, 2_000));
            Assert.Equal(PingStatus.TimedOut, ping.Status);

            PingRequest local = net.A.Icmp.Ping(new Ipv4Address(127, 0, 0, 1));
            net.A.Poll();   // the request loops back and is answered
            net.A.Poll();   // the reply loops back
            Assert.Equal(PingStatus.Replied, local.Status);
            Assert.Equal(0, local.RoundTripMilliseconds);

            PingRequest nowhere = net.A.Icmp.Ping(new Ipv4Address(192, 168, 9, 9));
            Assert.Equal(PingStatus.SendFailed, nowhere.Status);
        }

        [Fact]
        public void DatagramsGoBothWaysWithTheirSources()
        {
            var net = new TwoHostNetwork();
            UdpSocket server = net.B.Udp.Open(53);
            UdpSocket client = net.A.Udp.Open();
            Assert.InRange(client.LocalPort, UdpService.FirstEphemeralPort, 65535);
            Assert.Equal(NetworkResult.Success, client.SendTo(new byte[] { 1, 2, 3 }, TwoHostNetwork.AddressB, 53));
            var buffer = new byte[100];
            int length = 0;
            Ipv4Address from = default;
            ushort port = 0;
            Assert.True(net.RunUntil(() => server.ReceiveFrom(buffer, out length, out from, out port) == NetworkResult.Success, 1_000));
            Assert.Equal(3, length);
            Assert.Equal(TwoHostNetwork.AddressA, from);
            Assert.Equal(client.LocalPort, port);
            Assert.Equal(NetworkResult.Success, server.SendTo(new byte[] { 9 }, from, port));
            Assert.True(net.RunUntil(() => client.IsReadable, 1_000));
            Assert.Equal(NetworkResult.MessageTooLarge, client.ReceiveFrom(Span<byte>.Empty, out length, out _, out _));
            Assert.Equal(NetworkResult.AddressInUse, net.B.Udp.TryOpen(53, out _));
            server.Close();
            Assert.Equal(NetworkResult.Success, net.B.Udp.TryOpen(53, out _));
        }

        [Fact]
        public void ClosedPortAnswersPortUnreachableAndFullQueuesDrop()
        {
            var net = new TwoHostNetwork();
            UdpSocket client = net.A.Udp.Open();
            client.SendTo(new byte[4], TwoHostNetwork.AddressB, 9);
            net.RunFor(100);
            Assert.Equal(1, net.B.Counters.Udp.Drops(NetworkDropReason.NoSocket));
            Assert.Equal(1, net.A.Counters.Icmp.PacketsIn);

            UdpSocket server = net.B.Udp.Open(9);
            server.ReceiveQueueLimit = 2;
            for (int i = 0; i < 5; i++)
            {
                client.SendTo(new byte[4], TwoHostNetwork.AddressB, 9);
            }

            net.RunFor(100);
            Assert.Equal(2, server.PendingDatagrams);
            Assert.Equal(3, server.DroppedDatagrams);
            Assert.Equal(3, net.B.Counters.Udp.Drops(NetworkDropReason.QueueFull));
        }

        [Fact]
        public void ConnectedSocketFiltersOtherSenders()
        {
            var net = new TwoHostNetwork();
            UdpSocket server = net.B.Udp.Open(4000);
            server.Connect(TwoHostNetwork.AddressA, 4001);
            UdpSocket right = net.A.Udp.Open(4001);
            UdpSocket wrong = net.A.Udp.Open(4002);
            wrong.SendTo(new byte[1], TwoHostNetwork.AddressB, 4000);
            right.SendTo(new byte[2], TwoHostNetwork.AddressB, 4000);
            net.RunFor(100);
            Assert.Equal(1, server.PendingDatagrams);
            Assert.Equal(2, server.NextDatagramLength);
            Assert.Equal(NetworkResult.Success, server.Send(new byte[3]));
        }
    }
}
