using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Cosmos.System.Network;
using Cosmos.System.Tests.Network;
using CsCheck;
using Xunit;

namespace Cosmos.System.Tests.Properties
{
    /// <summary>
    /// A byte stream cut into random segments, with extra overlapping re-sends and exact duplicates, delivered in a
    /// random order to an established connection, reads back exactly: nothing lost, repeated or reordered.
    /// The segments go through the whole receive path (Ethernet, IPv4, TCP input, the reassembly queue).
    /// </summary>
    public class TcpReassemblyProperties
    {
        private const ushort PeerPort = 40000;
        private const ushort ServerPort = 80;
        private const uint PeerInitialSequence = 5000;

        private static readonly Gen<(byte[] Stream, int[] Cuts, (int Start, int Length)[] Extra, int[] Duplicates, int OrderSeed)> Deliveries =
            Gen.Byte.Array[1, 20000].SelectMany(stream => Gen.Select(
                Gen.Int[1, stream.Length].Array[0, 40],
                Gen.Select(Gen.Int[0, stream.Length - 1], Gen.Int[1, 1460]).Array[0, 10],
                Gen.Int[0, 1000].Array[0, 10],
                Gen.Int,
                (cuts, extra, duplicates, seed) => (stream, cuts, extra, duplicates, seed)));

        [Fact]
        public void SegmentedReorderedDuplicatedStreamReassemblesExactly()
        {
            Deliveries.Sample(delivery =>
            {
                var host = new SingleHost();
                host.Interface.Arp.Add(SingleHost.PeerAddress, SingleHost.PeerMac);
                TcpListener listener = host.Stack.Tcp.Listen(ServerPort);
                TcpConnection server = Establish(host, listener, out uint hostNext);

                // The cut points split the stream; extra pieces overlap them (retransmissions resegmented).
                int[] bounds = delivery.Cuts.Append(0).Append(delivery.Stream.Length).Distinct().OrderBy(x => x).ToArray();
                var pieces = new List<(int Start, int Length)>();
                for (int i = 0; i + 1 < bounds.Length; i++)
                {
                    int start = bounds[i];
                    int length = bounds[i + 1] - start;
                    while (length > 0)
                    {
                        int part = Math.Min(length, 1460);
                        pieces.Add((start, part));
                        start += part;
                        length -= part;
                    }
                }

                foreach ((int start, int length) in delivery.Extra)
                {
                    pieces.Add((start, Math.Min(length, delivery.Stream.Length - start)));
                }

                foreach (int duplicate in delivery.Duplicates)
                {
                    pieces.Add(pieces[duplicate % pieces.Count]);
                }

                var random = new Random(delivery.OrderSeed);
                foreach ((int start, int length) in pieces.OrderBy(_ => random.Next()))
                {
                    host.Receive(TcpFrames.Segment(SingleHost.PeerMac, host.Device.Mac, SingleHost.PeerAddress, SingleHost.Address,
                        PeerPort, ServerPort, PeerInitialSequence + 1 + (uint)start, hostNext, TcpFlags.Ack | TcpFlags.Psh, 65535,
                        delivery.Stream.AsSpan(start, length)));
                }

                host.Advance(10);
                var received = new List<byte>();
                byte[] buffer = new byte[4096];
                while (server.Receive(buffer, out int read) == NetworkResult.Success && read > 0)
                {
                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                Assert.Equal(delivery.Stream, received.ToArray());
                Assert.Equal(0, host.Stack.InternalErrors);
            }, iter: 60);
        }

        // The peer's SYN (no window scaling: the server's window is at most 65,535), the host's SYN-ACK, the ACK.
        private static TcpConnection Establish(SingleHost host, TcpListener listener, out uint hostNext)
        {
            host.Receive(TcpFrames.Segment(SingleHost.PeerMac, host.Device.Mac, SingleHost.PeerAddress, SingleHost.Address,
                PeerPort, ServerPort, PeerInitialSequence, 0, TcpFlags.Syn, 65535, ReadOnlySpan<byte>.Empty, mss: 1460));
            byte[] synAck = host.Device.Sent.Last(frame => TcpFrames.IsTcp(frame, out TcpFlags flags) && flags.HasFlag(TcpFlags.Syn));
            hostNext = BinaryPrimitives.ReadUInt32BigEndian(synAck.AsSpan(14 + 20 + 4)) + 1;
            host.Receive(TcpFrames.Segment(SingleHost.PeerMac, host.Device.Mac, SingleHost.PeerAddress, SingleHost.Address,
                PeerPort, ServerPort, PeerInitialSequence + 1, hostNext, TcpFlags.Ack, 65535, ReadOnlySpan<byte>.Empty));
            Assert.Equal(NetworkResult.Success, listener.TryAccept(out TcpConnection? server));
            return server!;
        }
    }
}
