using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>
    /// The kernel's network subsystem on the host: two subsystems, each with its own network thread, joined by a
    /// wire whose devices raise FramesArrived from the sending thread (as an interrupt would, at any moment), used by
    /// other threads through the blocking helpers.
    /// </summary>
    public sealed class NetworkSubsystemTests : IDisposable
    {
        private static readonly Ipv4Address AddressA = new Ipv4Address(10, 0, 0, 1);
        private static readonly Ipv4Address AddressB = new Ipv4Address(10, 0, 0, 2);
        private static readonly Ipv4Address Mask = new Ipv4Address(255, 255, 255, 0);
        private readonly WireDevice _deviceA = new WireDevice(new MacAddress(0x020000000001));
        private readonly WireDevice _deviceB = new WireDevice(new MacAddress(0x020000000002));
        private readonly NetworkSubsystem _a;
        private readonly NetworkSubsystem _b;

        public NetworkSubsystemTests()
        {
            _deviceA.Peer = _deviceB;
            _deviceB.Peer = _deviceA;
            _a = Create(_deviceA, AddressA, 1);
            _b = Create(_deviceB, AddressB, 2);
        }

        public void Dispose()
        {
            _deviceA.Peer = null;
            _deviceB.Peer = null;
        }

        [Fact]
        public void AddingADeviceHooksItsFramesArrivedAndStartsTheThread()
        {
            Assert.True(_a.IsRunning);
            Assert.NotNull(_deviceA.FramesArrived);
            Assert.Equal("eth0", _a.WaitForAddress(1_000)!.Name);
        }

        [Fact]
        public void PingFromAnotherThreadIsAnswered()
        {
            PingRequest reply = _a.Ping(AddressB, 2_000);
            Assert.Equal(PingStatus.Replied, reply.Status);
            Assert.NotEqual(PingStatus.Replied, _a.Ping(new Ipv4Address(10, 0, 0, 9), 300).Status);
        }

        [Fact]
        public void WaitForAddressGivesUpAtItsTimeout()
        {
            var device = new WireDevice(new MacAddress(0x020000000003));
            var lonely = new NetworkSubsystem(new StopwatchClock(), new EventWakeSignal(), 3, null);
            lonely.AddDevice(device, "eth0");
            var clock = Stopwatch.StartNew();
            Assert.Null(lonely.WaitForAddress(300));
            Assert.InRange(clock.ElapsedMilliseconds, 250, 5_000);
        }

        [Fact]
        public void TcpCarriesAMegabyteBetweenThreadsBothWays()
        {
            byte[] data = new byte[1 << 20];
            new Random(7).NextBytes(data);
            Assert.Equal(NetworkResult.Success, _a.Listen(5000, 4, out NetworkTcpListener? listener));
            byte[]? received = null;
            var server = new Thread(() =>
            {
                Assert.Equal(NetworkResult.Success, listener!.Accept(5_000, out NetworkTcpConnection? accepted));
                received = ReadAll(accepted!, data.Length);
                Assert.Equal(NetworkResult.Success, accepted!.Send(received, 10_000));
                accepted.Close(5_000);
            });
            server.Start();

            Assert.Equal(NetworkResult.Success, _b.Connect(AddressA, 5000, 5_000, out NetworkTcpConnection? client));
            byte[]? echoed = null;
            var reader = new Thread(() => echoed = ReadAll(client!, data.Length));
            reader.Start();
            Assert.Equal(NetworkResult.Success, client!.Send(data, 10_000, out int sent));
            Assert.Equal(data.Length, sent);
            Assert.True(server.Join(20_000) && reader.Join(20_000), "the transfer did not finish in 20 s");
            Assert.Equal(data, received);
            Assert.Equal(data, echoed);

            // After the server's FIN, receive reports the end of the stream.
            Assert.Equal(NetworkResult.Success, client.Receive(new byte[16], 5_000, out int read));
            Assert.Equal(0, read);
            Assert.True(client.Close(5_000));
            listener!.Close();
        }

        [Fact]
        public void ReceiveTimesOutAndAcceptEndsWhenAnotherThreadClosesTheListener()
        {
            Assert.Equal(NetworkResult.Success, _a.Listen(6000, 1, out NetworkTcpListener? listener));
            Assert.Equal(NetworkResult.AddressInUse, _a.Listen(6000, 1, out _));
            Assert.Equal(NetworkResult.WouldBlock, listener!.Accept(100, out _));

            Assert.Equal(NetworkResult.Success, _b.Connect(AddressA, 6000, 5_000, out NetworkTcpConnection? client));
            Assert.Equal(NetworkResult.WouldBlock, client!.Receive(new byte[16], 200, out _));
            Assert.Equal(NetworkResult.Success, listener.Accept(1_000, out NetworkTcpConnection? accepted));
            accepted!.Abort();
            Assert.Equal(NetworkResult.ConnectionReset, client.Receive(new byte[16], 5_000, out _));

            NetworkResult ended = NetworkResult.Success;
            var waiter = new Thread(() => ended = listener.Accept(-1, out _));
            waiter.Start();
            Thread.Sleep(100);
            listener.Close();
            Assert.True(waiter.Join(5_000), "Accept did not return after Close");
            Assert.Equal(NetworkResult.Closed, ended);
            Assert.Equal(NetworkResult.ConnectionRefused, _b.Connect(AddressA, 6000, 5_000, out _));
        }

        [Fact]
        public void ConnectionsServedOnThreadsOfTheirOwnDoNotWaitForAnIdleOneAndAbortWakesItsThread()
        {
            // As httpd serves: an accept thread, a thread per connection blocked in Receive or Send under the one lock.
            Assert.Equal(NetworkResult.Success, _a.Listen(7000, 8, out NetworkTcpListener? listener));
            var served = new ConcurrentQueue<(NetworkTcpConnection Connection, Thread Thread, NetworkResult[] Ended)>();
            var acceptor = new Thread(() =>
            {
                while (listener!.Accept(-1, out NetworkTcpConnection? accepted) == NetworkResult.Success)
                {
                    var ended = new NetworkResult[1];
                    var thread = new Thread(() => ended[0] = Echo(accepted!));
                    served.Enqueue((accepted!, thread, ended));
                    thread.Start();
                }
            });
            acceptor.Start();

            Assert.Equal(NetworkResult.Success, _b.Connect(AddressA, 7000, 5_000, out NetworkTcpConnection? idle));
            var clients = new Thread[4];
            var echoed = new byte[clients.Length][];
            var sent = new byte[clients.Length][];
            for (int i = 0; i < clients.Length; i++)
            {
                int index = i;
                sent[i] = new byte[64 * 1024];
                new Random(i).NextBytes(sent[i]);
                clients[i] = new Thread(() =>
                {
                    Assert.Equal(NetworkResult.Success, _b.Connect(AddressA, 7000, 5_000, out NetworkTcpConnection? client));
                    var reader = new Thread(() => echoed[index] = ReadAll(client!, sent[index].Length));
                    reader.Start();
                    Assert.Equal(NetworkResult.Success, client!.Send(sent[index], 10_000));
                    reader.Join(20_000);
                    client.Close(5_000);
                });
                clients[i].Start();
            }

            foreach (Thread client in clients)
            {
                Assert.True(client.Join(30_000), "a client did not finish in 30 s beside an idle connection");
            }

            for (int i = 0; i < clients.Length; i++)
            {
                Assert.Equal(sent[i], echoed[i]);
            }

            // The idle connection's thread is still in Receive; an abort from this thread ends its wait at once.
            (NetworkTcpConnection Connection, Thread Thread, NetworkResult[] Ended) first = served.ToArray()[0];
            Assert.True(first.Thread.IsAlive);
            var clock = Stopwatch.StartNew();
            first.Connection.Abort();
            Assert.True(first.Thread.Join(5_000), "Abort did not wake the thread waiting in Receive");
            Assert.InRange(clock.ElapsedMilliseconds, 0, 2_000);
            Assert.Equal(NetworkResult.Closed, first.Ended[0]);
            Assert.Equal(NetworkResult.ConnectionReset, idle!.Receive(new byte[16], 5_000, out _));

            listener!.Close();
            Assert.True(acceptor.Join(5_000), "Accept did not return after Close");
            foreach ((NetworkTcpConnection _, Thread thread, NetworkResult[] _) in served)
            {
                Assert.True(thread.Join(5_000));
            }
        }

        // Sends back what arrives until the peer closes: Success then, or the error that ended the connection.
        private static NetworkResult Echo(NetworkTcpConnection connection)
        {
            byte[] buffer = new byte[8 * 1024];
            while (true)
            {
                NetworkResult result = connection.Receive(buffer, 60_000, out int read);
                if (result != NetworkResult.Success || read == 0)
                {
                    connection.Close(2_000);
                    return result;
                }

                result = connection.Send(buffer.AsSpan(0, read), 10_000);
                if (result != NetworkResult.Success)
                {
                    return result;
                }
            }
        }

        private static NetworkSubsystem Create(WireDevice device, Ipv4Address address, int seed)
        {
            var subsystem = new NetworkSubsystem(new StopwatchClock(), new EventWakeSignal(), seed, null) { StartsDhcp = false };
            NetworkInterface networkInterface = subsystem.AddDevice(device, "eth0");
            lock (subsystem.SyncRoot)
            {
                networkInterface.Configure(address, Mask);
            }

            return subsystem;
        }

        private static byte[] ReadAll(NetworkTcpConnection connection, int length)
        {
            byte[] buffer = new byte[length];
            int at = 0;
            while (at < length)
            {
                Assert.Equal(NetworkResult.Success, connection.Receive(buffer.AsSpan(at), 10_000, out int read));
                Assert.NotEqual(0, read);
                at += read;
            }

            return buffer;
        }

        private sealed class StopwatchClock : INetworkClock
        {
            private readonly Stopwatch _watch = Stopwatch.StartNew();

            public long Milliseconds => _watch.ElapsedMilliseconds;
        }

        private sealed class EventWakeSignal : INetworkWakeSignal
        {
            private readonly AutoResetEvent _event = new AutoResetEvent(false);

            public void Set() => _event.Set();

            public void Wait(long milliseconds) => _event.WaitOne((int)Math.Min(milliseconds, int.MaxValue));
        }

        /// <summary>One end of a wire: what it sends lands in its peer's queue, and the peer's FramesArrived runs on the sender's thread.</summary>
        private sealed class WireDevice : INetworkDevice
        {
            private readonly byte[] _mac = new byte[6];
            private readonly ConcurrentQueue<byte[]> _received = new ConcurrentQueue<byte[]>();

            public WireDevice(MacAddress mac) => mac.Write(_mac);

            public WireDevice? Peer { get; set; }

            public DeviceClass Class => DeviceClass.Network;

            public string NameStem => "eth";

            public string DriverName => "wire";

            public string Transport => "test";

            public InterruptMode InterruptMode => InterruptMode.MsiX;

            public ReadOnlySpan<byte> MacAddress => _mac;

            public bool IsLinkUp => true;

            public int Mtu => 1500;

            public bool HasFrameWaiting => !_received.IsEmpty;

            public Action? FramesArrived { get; set; }

            public bool OffloadsTransmitChecksum => false;

            public int MaxFrameLength => Mtu + 18;

            public NetworkStatistics Statistics => default;

            public bool TrySend(ReadOnlySpan<byte> frame)
            {
                WireDevice? peer = Peer;
                if (peer != null)
                {
                    peer._received.Enqueue(frame.ToArray());
                    peer.FramesArrived?.Invoke();
                }

                return true;
            }

            public bool TrySend(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset)
            {
                byte[] copy = frame.ToArray();
                ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(0, copy.AsSpan(checksumStart)));
                copy[checksumStart + checksumOffset] = (byte)(checksum >> 8);
                copy[checksumStart + checksumOffset + 1] = (byte)checksum;
                return TrySend(copy);
            }

            public int TryReceive(Span<byte> buffer)
            {
                if (!_received.TryDequeue(out byte[]? frame))
                {
                    return 0;
                }

                int length = Math.Min(frame.Length, buffer.Length);
                frame.AsSpan(0, length).CopyTo(buffer);
                return length;
            }

            public int TryReceive(Span<byte> buffer, out bool checksumValid)
            {
                checksumValid = false;
                return TryReceive(buffer);
            }
        }
    }
}
