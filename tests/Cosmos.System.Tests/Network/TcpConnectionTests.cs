using System;
using System.Collections.Generic;
using System.Text;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>TCP connections between two stacks over a simulated link: opening, closing, resets, timers.</summary>
    public class TcpConnectionTests
    {
        private static (TcpListener Listener, TcpConnection Client, TcpConnection Server) Connect(TwoHostNetwork net, ushort port = 80)
        {
            TcpListener listener = net.B.Tcp.Listen(port);
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressB, port);
            TcpConnection? server = null;
            Assert.True(net.RunUntil(() => listener.TryAccept(out server) == NetworkResult.Success, 10_000));
            Assert.True(net.RunUntil(() => client.State == TcpState.Established, 10_000));
            return (listener, client, server!);
        }

        private static byte[] ReadAll(TwoHostNetwork net, TcpConnection connection, int expected)
        {
            var received = new List<byte>();
            var buffer = new byte[4096];
            Assert.True(net.RunUntil(() =>
            {
                while (connection.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                return received.Count >= expected;
            }, 60_000), $"received {received.Count} of {expected} bytes");
            return received.ToArray();
        }

        [Fact]
        public void SegmentsArrivingTogetherShareOneAcknowledgement()
        {
            var net = new TwoHostNetwork();
            (TcpListener _, TcpConnection client, TcpConnection server) = Connect(net);
            int dataSegments = 0, pureAcks = 0;
            net.Link.Filter = (from, frame) =>
            {
                if (TcpFrames.IsTcp(frame, out TcpFlags flags) && (flags & TcpFlags.Ack) != 0)
                {
                    if (from == net.DeviceA && TcpFrames.PayloadLength(frame) > 0)
                    {
                        dataSegments++;
                    }
                    else if (from == net.DeviceB && TcpFrames.PayloadLength(frame) == 0)
                    {
                        pureAcks++;
                    }
                }

                return false;
            };

            byte[] data = TestData.Pattern(512 * 1024, 3);
            int offset = 0;
            var received = new List<byte>();
            var buffer = new byte[65536];
            Assert.True(net.RunUntil(() =>
            {
                if (offset < data.Length && client.Send(data.AsSpan(offset), out int written) == NetworkResult.Success)
                {
                    offset += written;
                }

                while (server.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                return received.Count == data.Length;
            }, 60_000));
            Assert.Equal(data, received.ToArray());
            // Every second segment is acknowledged by the end of the poll that received it, and a batch gets at least
            // one ACK per 8 segments. An ACK for every second segment would be about 180 here; coalesced, about 100.
            Assert.True(pureAcks <= dataSegments / 3, $"{pureAcks} ACKs for {dataSegments} segments: not coalesced");
            Assert.True(pureAcks >= dataSegments / 8, $"{pureAcks} ACKs for {dataSegments} segments: stretched past 8 segments");
        }

        [Fact]
        public void HandshakeEstablishesBothSidesWithOptions()
        {
            var net = new TwoHostNetwork();
            (TcpListener listener, TcpConnection client, TcpConnection server) = Connect(net);
            Assert.Equal(TcpState.Established, server.State);
            Assert.Equal(TwoHostNetwork.AddressA, server.RemoteAddress);
            Assert.Equal(client.LocalPort, server.RemotePort);
            Assert.Equal(1460, client.SendMss);
            Assert.Equal(1460, server.SendMss);
            // 512 KiB receive buffers: shift 4 fits 524288 into 16 bits (shift 3 leaves 65536); both sides offered it.
            Assert.Equal(512 * 1024, new TcpSettings().ReceiveBufferSize);
            Assert.Equal(4, client.ReceiveWindowScale);
            Assert.Equal(4, client.SendWindowScale);
            Assert.Equal(4, server.SendWindowScale);
            // The SYN-ACK's window is never scaled (RFC 7323 §2.2); the first scaled one comes with the server's next segment.
            Assert.Equal(65535, client.SendWindow);
            Assert.Equal(NetworkResult.Success, server.Send(new byte[] { 1 }, out _));
            Assert.True(net.RunUntil(() => client.BytesAvailable == 1, 1_000));
            Assert.Equal(512 * 1024, client.SendWindow);
            Assert.True(client.Readiness.HasFlag(TcpReadiness.Writable));
            Assert.True(client.Readiness.HasFlag(TcpReadiness.Readable));
            Assert.Equal(1, net.A.Counters.Tcp.ActiveOpens);
            Assert.Equal(1, net.B.Counters.Tcp.PassiveOpens);
            Assert.Equal(0, listener.PendingConnections);
        }

        [Fact]
        public void WithoutWindowScalingOnOneSideNeitherScales()
        {
            var net = new TwoHostNetwork();
            net.B.Tcp.Settings.WindowScaling = false;
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            Assert.Equal(0, client.SendWindowScale);
            Assert.Equal(0, client.ReceiveWindowScale);
            Assert.Equal(0, server.ReceiveWindowScale);
            Assert.Equal(65535, client.SendWindow);
        }

        [Fact]
        public void DataFlowsBothWaysAndCloseFromClientEndsInTimeWait()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n");
            Assert.Equal(NetworkResult.Success, client.Send(request, out int written));
            Assert.Equal(request.Length, written);
            Assert.Equal(request, ReadAll(net, server, request.Length));
            byte[] reply = TestData.Pattern(10_000);
            Assert.Equal(NetworkResult.Success, server.Send(reply, out written));
            Assert.Equal(reply.Length, written);
            Assert.Equal(reply, ReadAll(net, client, reply.Length));

            client.Close();
            Assert.Equal(TcpState.FinWait1, client.State);
            Assert.Equal(NetworkResult.Closed, client.Send(request, out _));
            var buffer = new byte[16];
            Assert.True(net.RunUntil(() => server.Receive(buffer, out int read) == NetworkResult.Success && read == 0, 5_000));
            Assert.Equal(TcpState.CloseWait, server.State);
            Assert.True(server.Readiness.HasFlag(TcpReadiness.HangUp));
            Assert.True(net.RunUntil(() => client.State == TcpState.FinWait2, 1_000));
            // Half-closed: the server may still send.
            Assert.Equal(NetworkResult.Success, server.Send(request, out _));
            Assert.Equal(request, ReadAll(net, client, request.Length));
            server.Close();
            Assert.True(net.RunUntil(() => server.State == TcpState.Closed, 5_000));
            Assert.Equal(TcpState.TimeWait, client.State);
            Assert.Equal(NetworkResult.Success, server.Error);

            // TIME-WAIT lasts 2 MSL (60 s by default), then the connection is gone.
            long enteredTimeWait = net.Clock.Milliseconds;
            Assert.True(net.RunUntil(() => client.State == TcpState.Closed, 120_000));
            Assert.InRange(net.Clock.Milliseconds - enteredTimeWait, 59_000, 61_000);
            Assert.Empty(net.A.Tcp.Connections);
            Assert.Empty(net.B.Tcp.Connections);
        }

        [Fact]
        public void CloseFromServerSideAndSimultaneousClose()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            server.Close();
            Assert.True(net.RunUntil(() => client.IsRemoteClosed, 5_000));
            client.Close();
            Assert.True(net.RunUntil(() => client.State == TcpState.Closed, 5_000));
            Assert.Equal(TcpState.TimeWait, server.State);

            (_, TcpConnection c2, TcpConnection s2) = Connect(net, 81);
            c2.Close();
            s2.Close();
            Assert.True(net.RunUntil(() => c2.State is TcpState.TimeWait or TcpState.Closed && s2.State is TcpState.TimeWait or TcpState.Closed, 10_000));
        }

        [Fact]
        public void ConnectToClosedPortIsRefused()
        {
            var net = new TwoHostNetwork();
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressB, 9999);
            Assert.True(net.RunUntil(() => client.State == TcpState.Closed, 5_000));
            Assert.Equal(NetworkResult.ConnectionRefused, client.Error);
            Assert.Equal(NetworkResult.ConnectionRefused, client.Send(new byte[1], out _));
            Assert.True(net.B.Counters.Tcp.Drops(NetworkDropReason.NoSocket) >= 1);
            Assert.Equal(1, net.B.Counters.Tcp.ResetsSent);
        }

        [Fact]
        public void AbortResetsThePeer()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            client.Abort();
            Assert.Equal(TcpState.Closed, client.State);
            Assert.True(net.RunUntil(() => server.State == TcpState.Closed, 5_000));
            Assert.Equal(NetworkResult.ConnectionReset, server.Error);
            var buffer = new byte[4];
            Assert.Equal(NetworkResult.ConnectionReset, server.Receive(buffer, out _));
            Assert.True(server.Readiness.HasFlag(TcpReadiness.Error));
        }

        [Fact]
        public void ResetWithWrongSequenceIsChallengedNotObeyed()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            // Forge a RST from A to B with a sequence number inside the window but not RCV.NXT (RFC 5961 §3.2).
            byte[] forged = TcpFrames.Segment(net.DeviceA.Mac, net.DeviceB.Mac, TwoHostNetwork.AddressA, TwoHostNetwork.AddressB,
                client.LocalPort, 80, seq: 12345, ack: 0, TcpFlags.Rst, window: 0, ReadOnlySpan<byte>.Empty);
            net.DeviceB.Inject(forged);
            net.RunFor(1_000);
            Assert.Equal(TcpState.Established, server.State);
            Assert.Equal(TcpState.Established, client.State);
        }

        [Fact]
        public void SynRetransmissionsBackOffThenTimeOut()
        {
            var net = new TwoHostNetwork();
            var synTimes = new List<long>();
            net.Link.Filter = (from, frame) =>
            {
                if (from == net.DeviceA && TcpFrames.IsTcp(frame, out TcpFlags flags) && flags == TcpFlags.Syn)
                {
                    synTimes.Add(net.Clock.Milliseconds);
                    return true;
                }

                return false;
            };
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressB, 80);
            Assert.True(net.RunUntil(() => client.State == TcpState.Closed, 600_000));
            Assert.Equal(NetworkResult.TimedOut, client.Error);
            // The SYN and 6 retransmissions, 1, 2, 4, 8, 16, 32 s apart (RFC 6298 §5.5), then 64 s more to give up.
            Assert.Equal(7, synTimes.Count);
            // The first SYN waited a few milliseconds for ARP; its timer started at connect.
            Assert.InRange(synTimes[1] - synTimes[0], 980, 1000);
            for (int i = 2; i < synTimes.Count; i++)
            {
                Assert.Equal(1000L << (i - 1), synTimes[i] - synTimes[i - 1]);
            }
        }

        [Fact]
        public void DataRetransmissionTimerBacksOffAndResetsOnAck()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            long rtoBefore = client.RetransmissionTimeout;
            Assert.Equal(1000, rtoBefore);   // RTT of ~10 ms is far below the 1 s floor.
            var dataTimes = new List<long>();
            int dropped = 0;
            net.Link.Filter = (from, frame) =>
            {
                if (from == net.DeviceA && TcpFrames.IsTcp(frame, out _) && TcpFrames.PayloadLength(frame) > 0 && dropped < 3)
                {
                    dataTimes.Add(net.Clock.Milliseconds);
                    dropped++;
                    return true;
                }

                return false;
            };
            Assert.Equal(NetworkResult.Success, client.Send(new byte[100], out _));
            Assert.Equal(new byte[100], ReadAll(net, server, 100));
            Assert.Equal(3, dataTimes.Count);
            Assert.Equal(1000, dataTimes[1] - dataTimes[0]);
            Assert.Equal(2000, dataTimes[2] - dataTimes[1]);
            Assert.Equal(3, client.Retransmissions);
            Assert.Equal(3, net.A.Counters.Tcp.TimeoutRetransmissions);
        }

        [Fact]
        public void ThreeDuplicateAcksTriggerFastRetransmit()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            // Warm up cwnd so a loss has enough segments behind it to produce three duplicate ACKs.
            byte[] warm = TestData.Pattern(100_000, 3);
            Assert.Equal(NetworkResult.Success, client.Send(warm, out int warmWritten));
            Assert.Equal(warm, ReadAll(net, server, warmWritten));

            bool droppedOne = false;
            net.Link.Filter = (from, frame) =>
            {
                if (!droppedOne && from == net.DeviceA && TcpFrames.PayloadLength(frame) > 0)
                {
                    droppedOne = true;
                    return true;
                }

                return false;
            };
            byte[] data = TestData.Pattern(60_000, 4);
            long start = net.Clock.Milliseconds;
            Assert.Equal(NetworkResult.Success, client.Send(data, out int written));
            Assert.Equal(data.Length, written);
            Assert.Equal(data, ReadAll(net, server, data.Length));
            Assert.True(droppedOne);
            Assert.Equal(1, net.A.Counters.Tcp.FastRetransmissions);
            Assert.Equal(0, net.A.Counters.Tcp.TimeoutRetransmissions);
            // Recovered well inside one RTO.
            Assert.True(net.Clock.Milliseconds - start < 1000, $"took {net.Clock.Milliseconds - start} ms");
        }

        [Fact]
        public void ZeroWindowIsProbedUntilTheReaderDrains()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, TcpConnection server) = Connect(net);
            byte[] data = TestData.Pattern(800_000, 5);
            int sent = 0;
            // Fill the receiver's 512 KiB buffer and the sender's 128 KiB while nobody reads.
            Assert.False(net.RunUntil(() =>
            {
                if (client.Send(data.AsSpan(sent), out int w) == NetworkResult.Success)
                {
                    sent += w;
                }

                return sent == data.Length;
            }, 30_000));
            // Sender SWS avoidance (RFC 9293 §3.8.6.2.1) leaves the last sliver under one MSS unfilled.
            Assert.InRange(server.BytesAvailable, (512 * 1024) - client.SendMss, 512 * 1024);
            Assert.True(client.SendWindow < client.SendMss);
            Assert.True(client.WindowProbes >= 3, $"{client.WindowProbes} probes");
            Assert.Equal(TcpState.Established, client.State);

            var received = new List<byte>();
            var buffer = new byte[8192];
            Assert.True(net.RunUntil(() =>
            {
                if (client.Send(data.AsSpan(sent), out int w) == NetworkResult.Success)
                {
                    sent += w;
                }

                while (server.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                return received.Count == data.Length;
            }, 120_000));
            Assert.Equal(data, received.ToArray());
        }

        [Fact]
        public void BacklogLimitsHalfOpenAndPendingConnections()
        {
            var net = new TwoHostNetwork();
            TcpListener listener = net.B.Tcp.Listen(80, backlog: 2);
            var clients = new List<TcpConnection>();
            for (int i = 0; i < 3; i++)
            {
                clients.Add(net.A.Tcp.Connect(TwoHostNetwork.AddressB, 80));
            }

            net.RunFor(500);
            Assert.Equal(2, listener.PendingConnections);
            Assert.True(listener.Overflows >= 1);
            Assert.Equal(TcpState.SynSent, clients[2].State);
            Assert.Equal(NetworkResult.Success, listener.TryAccept(out _));
            // The third client's retransmitted SYN finds room after 1 s.
            Assert.True(net.RunUntil(() => clients[2].State == TcpState.Established, 5_000));
            Assert.True(net.RunUntil(() => listener.PendingConnections == 2, 5_000));
        }

        [Fact]
        public void KeepAliveIsOffByDefaultAndDetectsADeadPeerWhenOn()
        {
            var net = new TwoHostNetwork();
            (_, TcpConnection client, _) = Connect(net);
            net.Link.Filter = (from, frame) => true;
            net.RunFor(3_600_000);
            Assert.Equal(TcpState.Established, client.State);

            var net2 = new TwoHostNetwork(2);
            net2.A.Tcp.Settings.KeepAliveIdle = 10_000;
            net2.A.Tcp.Settings.KeepAliveInterval = 1_000;
            net2.A.Tcp.Settings.KeepAliveProbes = 3;
            (_, TcpConnection c2, _) = Connect(net2);
            net2.RunFor(30_000);
            Assert.Equal(TcpState.Established, c2.State);   // the live peer answers the probes
            net2.Link.Filter = (from, frame) => true;
            Assert.True(net2.RunUntil(() => c2.State == TcpState.Closed, 60_000));
            Assert.Equal(NetworkResult.TimedOut, c2.Error);
        }

        [Fact]
        public void LoopbackConnectionWorks()
        {
            var net = new TwoHostNetwork();
            TcpListener listener = net.A.Tcp.Listen(7);
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressA, 7);
            TcpConnection? server = null;
            Assert.True(net.RunUntil(() => listener.TryAccept(out server) == NetworkResult.Success, 1_000));
            Assert.Equal(NetworkResult.Success, client.Send(Encoding.ASCII.GetBytes("echo"), out _));
            Assert.Equal(Encoding.ASCII.GetBytes("echo"), ReadAll(net, server!, 4));
        }
    }
}
