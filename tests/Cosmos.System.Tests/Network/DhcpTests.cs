using System;
using System.Buffers.Binary;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>The DHCP client against a simulated server on the wire.</summary>
    public class DhcpTests
    {
        private static readonly Ipv4Address Server = new Ipv4Address(10, 0, 0, 1);
        private static readonly Ipv4Address Offered = new Ipv4Address(10, 0, 0, 50);
        private static readonly MacAddress ServerMac = new MacAddress(0x0200000000AA);

        /// <summary>Plays the server: answers ARP for its address and DHCP per <see cref="Answer"/>.</summary>
        private sealed class DhcpServer
        {
            private readonly SingleHost _host;

            public DhcpServer(SingleHost host)
            {
                _host = host;
            }

            public bool AnswerRenewals { get; set; } = true;

            public bool AnswerRebinds { get; set; } = true;

            public bool Nak { get; set; }

            public bool Silent { get; set; }

            public int Discovers { get; private set; }

            public int Requests { get; private set; }

            public int UnicastRequests { get; private set; }

            public DhcpMessage? LastRequest { get; private set; }

            public void Serve()
            {
                while (_host.Device.Sent.Count > 0)
                {
                    byte[] frame = _host.Device.Sent.Dequeue();
                    EthernetHeader.TryRead(frame, out EthernetHeader ethernet);
                    if (ethernet.EtherType == EtherType.Arp)
                    {
                        ArpPacket.TryRead(frame.AsSpan(14), out ArpPacket arp, out _);
                        if (arp.Operation == ArpPacket.OperationRequest && arp.TargetProtocol == Server)
                        {
                            var reply = new byte[60];
                            new EthernetHeader(arp.SenderHardware, ServerMac, EtherType.Arp).Write(reply);
                            new ArpPacket(ArpPacket.OperationReply, ServerMac, Server, arp.SenderHardware, arp.SenderProtocol).Write(reply.AsSpan(14));
                            _host.Device.Inject(reply);
                        }

                        continue;
                    }

                    Assert.True(Ipv4Header.TryRead(frame.AsSpan(14), out Ipv4Header ip, out _));
                    Assert.True(UdpHeader.TryRead(frame.AsSpan(34, ip.PayloadLength), ip.Source, ip.Destination, out UdpHeader udp, out _));
                    Assert.Equal(DhcpMessage.ServerPort, udp.DestinationPort);
                    Assert.True(DhcpMessage.TryParse(frame.AsSpan(42, udp.TotalLength - 8), out DhcpMessage? request, out _));
                    DhcpMessage? answer = Answer(request!, ip.Destination);
                    if (answer != null)
                    {
                        var payload = new byte[answer.EncodedLength];
                        answer.Write(payload);
                        _host.Device.Inject(TcpFrames.Udp(ServerMac, MacAddress.Broadcast, Server, Ipv4Address.Broadcast, 67, 68, payload));
                    }
                }
            }

            private DhcpMessage? Answer(DhcpMessage request, Ipv4Address sentTo)
            {
                LastRequest = request;
                if (Silent)
                {
                    return null;
                }

                DhcpMessageType type;
                if (request.MessageType == DhcpMessageType.Discover)
                {
                    Discovers++;
                    type = DhcpMessageType.Offer;
                }
                else if (request.MessageType == DhcpMessageType.Request)
                {
                    Requests++;
                    bool unicast = !sentTo.IsBroadcast;
                    UnicastRequests += unicast ? 1 : 0;
                    if ((unicast && !AnswerRenewals) || (!unicast && !request.ClientAddress.IsAny && !AnswerRebinds))
                    {
                        return null;
                    }

                    type = Nak ? DhcpMessageType.Nak : DhcpMessageType.Ack;
                }
                else
                {
                    return null;
                }

                var answer = new DhcpMessage
                {
                    Operation = 2,
                    TransactionId = request.TransactionId,
                    ClientHardwareAddress = request.ClientHardwareAddress,
                    MessageType = type,
                    ServerIdentifier = Server,
                };
                if (type != DhcpMessageType.Nak)
                {
                    answer.YourAddress = Offered;
                    answer.SubnetMask = Ipv4Address.MaskFromPrefixLength(24);
                    answer.Routers.Add(Server);
                    answer.DnsServers.Add(new Ipv4Address(10, 0, 0, 53));
                    answer.LeaseTime = 1000;
                }

                return answer;
            }
        }

        private static (SingleHost Host, DhcpServer Server, DhcpClient Client) Start()
        {
            var host = new SingleHost(configure: false);
            var server = new DhcpServer(host);
            DhcpClient client = host.Interface.StartDhcp();
            return (host, server, client);
        }

        private static void Run(SingleHost host, DhcpServer server, long milliseconds)
        {
            long end = host.Clock.Milliseconds + milliseconds;
            while (true)
            {
                server.Serve();
                host.Stack.Poll();
                if (host.Device.Sent.Count > 0 || host.Device.Received.Count > 0)
                {
                    continue;
                }

                long next = Math.Min(host.Stack.NextDeadline, end);
                if (next <= host.Clock.Milliseconds)
                {
                    if (host.Clock.Milliseconds >= end)
                    {
                        return;
                    }

                    next = host.Clock.Milliseconds + 1;
                }

                host.Clock.Milliseconds = next;
            }
        }

        [Fact]
        public void DiscoverOfferRequestAckConfiguresTheInterface()
        {
            (SingleHost host, DhcpServer server, DhcpClient client) = Start();
            Assert.Equal(DhcpState.Selecting, client.State);
            Run(host, server, 100);
            Assert.Equal(DhcpState.Bound, client.State);
            Assert.Equal(1, server.Discovers);
            Assert.Equal(1, server.Requests);
            Assert.Equal(Offered, server.LastRequest!.RequestedAddress);
            Assert.Equal(Server, server.LastRequest.ServerIdentifier);
            Assert.Equal(Offered, host.Interface.Address);
            Assert.Equal(24, host.Interface.SubnetMask.PrefixLength);
            Assert.Equal(Server, host.Interface.Gateway);
            Assert.Equal(new[] { new Ipv4Address(10, 0, 0, 53) }, host.Interface.DnsServers);
            Assert.Equal(client.LeaseStart + 500_000, client.RenewAt);
            Assert.Equal(client.LeaseStart + 875_000, client.RebindAt);
            Assert.Equal(client.LeaseStart + 1_000_000, client.ExpiresAt);
            Assert.Equal(2, host.Stack.Counters.Dhcp.PacketsIn);
        }

        [Fact]
        public void DiscoverIsRetransmittedWithBackoff()
        {
            (SingleHost host, _, DhcpClient client) = Start();
            var times = new global::System.Collections.Generic.List<long>();
            for (int i = 0; i < 6; i++)
            {
                Assert.Single(host.Device.Sent);
                host.Device.Sent.Clear();
                times.Add(host.Clock.Milliseconds);
                host.Clock.Milliseconds = host.Stack.NextDeadline;
                host.Stack.Poll();
            }

            // RFC 2131 §4.1: 4, 8, 16, 32, 64 s, each within a second either way, then 64 s again.
            long[] expected = { 4000, 8000, 16000, 32000, 64000 };
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.InRange(times[i + 1] - times[i], expected[i] - 1000, expected[i] + 1000);
            }

            Assert.Equal(DhcpState.Selecting, client.State);
        }

        [Fact]
        public void RenewsAtT1ByUnicast()
        {
            (SingleHost host, DhcpServer server, DhcpClient client) = Start();
            Run(host, server, 100);
            long renewAt = client.RenewAt;
            Run(host, server, renewAt - host.Clock.Milliseconds + 100);
            Assert.Equal(DhcpState.Bound, client.State);
            Assert.Equal(1, server.UnicastRequests);
            Assert.Equal(Offered, server.LastRequest!.ClientAddress);
            Assert.True(server.LastRequest.ServerIdentifier.IsAny);
            Assert.Equal(2, client.LeasesObtained);
            Assert.True(client.RenewAt > renewAt);
        }

        [Fact]
        public void RebindsAtT2WhenTheServerIgnoresRenewals()
        {
            (SingleHost host, DhcpServer server, DhcpClient client) = Start();
            Run(host, server, 100);
            long start = client.LeaseStart;
            server.AnswerRenewals = false;
            Run(host, server, 600_000);
            Assert.Equal(DhcpState.Renewing, client.State);
            Run(host, server, start + 875_000 - host.Clock.Milliseconds + 100);
            Assert.Equal(DhcpState.Bound, client.State);
            // Renewal retransmissions: at T1, then half the time left to T2 (187.5 s), then the 60 s minimum.
            Assert.InRange(server.UnicastRequests, 2, 4);
            Assert.Equal(2, client.LeasesObtained);
            Assert.Equal(Offered, host.Interface.Address);
        }

        [Fact]
        public void LeaseExpiryDropsTheAddressAndNakRestarts()
        {
            (SingleHost host, DhcpServer server, DhcpClient client) = Start();
            Run(host, server, 100);
            server.Silent = true;
            Run(host, server, 1_000_000);
            Assert.False(host.Interface.IsConfigured);
            Assert.Empty(host.Stack.Routes.Routes);
            Assert.Equal(DhcpState.Selecting, client.State);

            server.Silent = false;
            server.Nak = true;
            Run(host, server, 70_000);
            Assert.NotEqual(DhcpState.Bound, client.State);
            server.Nak = false;
            Run(host, server, 130_000);
            Assert.Equal(DhcpState.Bound, client.State);
        }

        [Fact]
        public void RepliesForAnotherTransactionAreIgnored()
        {
            (SingleHost host, DhcpServer server, DhcpClient client) = Start();
            host.Device.Sent.Clear();
            var offer = new DhcpMessage
            {
                Operation = 2,
                TransactionId = 1234,
                ClientHardwareAddress = host.Device.Mac,
                MessageType = DhcpMessageType.Offer,
                YourAddress = Offered,
                ServerIdentifier = Server,
            };
            var payload = new byte[offer.EncodedLength];
            offer.Write(payload);
            host.Receive(TcpFrames.Udp(ServerMac, MacAddress.Broadcast, Server, Ipv4Address.Broadcast, 67, 68, payload));
            Assert.Equal(DhcpState.Selecting, client.State);
            Assert.Equal(1, host.Stack.Counters.Dhcp.Drops(NetworkDropReason.Unsolicited));
            client.Release();
            Assert.Equal(DhcpState.Stopped, client.State);
        }
    }
}
