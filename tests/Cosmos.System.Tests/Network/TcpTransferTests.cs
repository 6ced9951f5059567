using System;
using System.Security.Cryptography;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>Bulk transfers over a link that loses, duplicates, delays and reorders frames: the bytes must arrive intact.</summary>
    public class TcpTransferTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public TcpTransferTests(Xunit.Abstractions.ITestOutputHelper output)
        {
            _output = output;
        }

        private const int TransferSize = 4 * 1024 * 1024;

        public static readonly TheoryData<int, bool> Cases = new()
        {
            { 1, true }, { 2, false }, { 3, true }, { 4, false }, { 5, true }, { 6, false },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void FourMebibytesArriveIntactOverALossyLink(int seed, bool clientSends)
        {
            var net = new TwoHostNetwork(seed);
            net.Link.LossRate = 0.02;
            net.Link.DuplicateRate = 0.01;
            net.Link.ReorderRate = 0.03;
            TcpListener listener = net.B.Tcp.Listen(5001);
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressB, 5001);
            TcpConnection? server = null;
            Assert.True(net.RunUntil(() => listener.TryAccept(out server) == NetworkResult.Success, 60_000));
            TcpConnection sender = clientSends ? client : server!;
            TcpConnection receiver = clientSends ? server! : client;

            byte[] data = TestData.Pattern(TransferSize, seed);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[16 * 1024];
            int sent = 0;
            long received = 0;
            bool closed = false;
            bool finished = net.RunUntil(() =>
            {
                while (sent < data.Length && sender.Send(data.AsSpan(sent, Math.Min(32 * 1024, data.Length - sent)), out int written) == NetworkResult.Success && written > 0)
                {
                    sent += written;
                }

                if (sent == data.Length && !closed)
                {
                    sender.Close();
                    closed = true;
                }

                while (true)
                {
                    NetworkResult result = receiver.Receive(buffer, out int read);
                    if (result != NetworkResult.Success)
                    {
                        Assert.Equal(NetworkResult.WouldBlock, result);
                        return false;
                    }

                    if (read == 0)
                    {
                        return true;   // end of stream
                    }

                    hash.AppendData(buffer, 0, read);
                    received += read;
                }
            }, 3_600_000);

            Assert.True(finished, $"seed {seed}: {received} of {TransferSize} bytes after {net.Clock.Milliseconds} ms, sender {sender.State}, receiver {receiver.State}");
            Assert.Equal(TransferSize, received);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(hash.GetHashAndReset()));
            Assert.True(net.Link.Dropped > 0);
            Assert.True(net.A.Counters.Tcp.FastRetransmissions + net.B.Counters.Tcp.FastRetransmissions > 0);

            _output.WriteLine($"seed {seed}: {net.Clock.Milliseconds} ms simulated, link dropped {net.Link.Dropped} of {net.Link.Delivered + net.Link.Dropped}, " +
                $"fast retransmits {net.A.Counters.Tcp.FastRetransmissions + net.B.Counters.Tcp.FastRetransmissions}, " +
                $"timeouts {net.A.Counters.Tcp.TimeoutRetransmissions + net.B.Counters.Tcp.TimeoutRetransmissions}, cwnd {sender.CongestionWindow}, srtt {sender.SmoothedRtt}");
            receiver.Close();
            Assert.True(net.RunUntil(() => sender.State is TcpState.TimeWait or TcpState.Closed && receiver.State == TcpState.Closed, 120_000),
                $"sender {sender.State}, receiver {receiver.State}");
            Assert.Equal(0, net.A.InternalErrors + net.B.InternalErrors);
        }

        [Fact]
        public void CleanLinkTransferUsesTheWholeWindow()
        {
            var net = new TwoHostNetwork(9);
            TcpListener listener = net.B.Tcp.Listen(5001);
            TcpConnection client = net.A.Tcp.Connect(TwoHostNetwork.AddressB, 5001);
            TcpConnection? server = null;
            Assert.True(net.RunUntil(() => listener.TryAccept(out server) == NetworkResult.Success, 10_000));
            byte[] data = TestData.Pattern(TransferSize, 9);
            var buffer = new byte[64 * 1024];
            int sent = 0;
            long received = 0;
            long start = net.Clock.Milliseconds;
            Assert.True(net.RunUntil(() =>
            {
                if (sent < data.Length && client.Send(data.AsSpan(sent), out int written) == NetworkResult.Success)
                {
                    sent += written;
                }

                while (server!.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                    received += read;
                }

                return received == data.Length;
            }, 60_000));
            long elapsed = net.Clock.Milliseconds - start;
            // 4 MiB at 100 Mbit/s is about 350 ms on the wire; slow start and the 10 ms RTT add little.
            Assert.True(elapsed < 1_000, $"took {elapsed} ms");
            Assert.True(client.CongestionWindow > 64 * 1024, $"cwnd {client.CongestionWindow}");
        }
    }
}
