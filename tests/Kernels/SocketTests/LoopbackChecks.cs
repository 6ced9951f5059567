using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Cosmos.TestKit;

namespace SocketTests
{
    /// <summary>Both ends inside the kernel, over 127.0.0.1 and the interface's own address: TCP and UDP, blocking and async, errors.</summary>
    internal static class LoopbackChecks
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

        public static void Add(TestRunner tests)
        {
            tests.Add("udp.loopback-send-and-receive", () =>
            {
                using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                receiver.Client.ReceiveTimeout = 5_000;
                var target = (IPEndPoint)receiver.Client.LocalEndPoint!;
                Assert.True(target.Port != 0, "bind to port 0 left port 0");
                byte[] message = Encoding.ASCII.GetBytes("datagram over loopback");
                Assert.Equal(message.Length, sender.Send(message, message.Length, target), "bytes sent");
                IPEndPoint? from = null;
                byte[] received = receiver.Receive(ref from);
                Assert.SequenceEqual(message, received, "datagram");
                Assert.Equal(((IPEndPoint)sender.Client.LocalEndPoint!).Port, from!.Port, "source port");
                Assert.Equal(IPAddress.Loopback, from.Address, "source address");
            });

            tests.Add("udp.own-address-and-available", () =>
            {
                IPAddress own = IPAddress.Parse("10.0.2.15");
                using var receiver = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
                using var sender = new UdpClient();
                int port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
                sender.Send(new byte[300], 300, new IPEndPoint(own, port));
                sender.Send(new byte[5], 5, new IPEndPoint(own, port));
                Assert.True(receiver.Client.Poll(5_000_000, SelectMode.SelectRead), "no datagram within 5 s");
                Assert.Equal(300, receiver.Available, "Available (the next datagram's size)");
                IPEndPoint? from = null;
                Assert.Equal(300, receiver.Receive(ref from).Length, "first datagram");
                Assert.Equal(5, receiver.Receive(ref from).Length, "second datagram");
                Assert.Equal(own, from!.Address, "source address");
            });

            tests.Add("tcp.loopback-blocking-exchange", () =>
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                using TcpClient server = listener.AcceptTcpClient();
                // Socket.Shutdown marks a socket disconnected (TcpClient.GetStream then refuses): take the streams first.
                NetworkStream clientStream = client.GetStream();
                NetworkStream serverStream = server.GetStream();
                Assert.Equal(port, ((IPEndPoint)server.Client.LocalEndPoint!).Port, "accepted socket's local port");
                Assert.Equal(((IPEndPoint)client.Client.LocalEndPoint!).Port, ((IPEndPoint)server.Client.RemoteEndPoint!).Port,
                    "the accepted socket's peer is the client");

                const int size = 300_000;
                byte[] received = new byte[size];
                int got = 0;
                var reader = new Thread(() =>
                {
                    while (got < size)
                    {
                        int n = serverStream.Read(received, got, size - got);
                        if (n == 0)
                        {
                            break;
                        }

                        got += n;
                    }
                });
                reader.Start();
                clientStream.Write(Pattern(size, 5));
                Assert.True(reader.Join(Limit), "the reader did not finish in 30 s");
                Assert.Equal(size, got, "bytes received");
                CheckPattern(received, 5);

                client.Client.Shutdown(SocketShutdown.Send);
                Assert.Equal(0, serverStream.Read(new byte[16], 0, 16), "read after the peer's shutdown");
                serverStream.Write(Encoding.ASCII.GetBytes("bye"));
                byte[] reply = new byte[8];
                int r = clientStream.Read(reply, 0, reply.Length);
                Assert.Equal("bye", Encoding.ASCII.GetString(reply, 0, r), "half-closed connection still carries the other way");
            });

            tests.Add("tcp.loopback-async-accept-connect-read", () =>
            {
                Task work = Task.Run(async () =>
                {
                    using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    listener.Listen(4);
                    var endPoint = (IPEndPoint)listener.LocalEndPoint!;
                    Task<Socket> accepting = listener.AcceptAsync();
                    Assert.False(accepting.IsCompleted, "accept completed before anyone connected");
                    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await client.ConnectAsync(endPoint);
                    using Socket server = await accepting;

                    byte[] buffer = new byte[64];
                    Task<int> receiving = server.ReceiveAsync(buffer, SocketFlags.None);
                    await Task.Delay(50);
                    Assert.False(receiving.IsCompleted, "receive completed before anything was sent");
                    await client.SendAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None);
                    int n = await receiving;
                    Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, n), "received");

                    // Many round trips through the event port.
                    using var clientStream = new NetworkStream(client);
                    using var serverStream = new NetworkStream(server);
                    for (int i = 0; i < 200; i++)
                    {
                        await clientStream.WriteAsync(BitConverter.GetBytes(i));
                        Assert.Equal(4, await serverStream.ReadAsync(buffer.AsMemory(0, 4)), "echo length");
                        await serverStream.WriteAsync(buffer.AsMemory(0, 4));
                        int back = 0;
                        while (back < 4)
                        {
                            back += await clientStream.ReadAsync(buffer.AsMemory(back, 4 - back));
                        }

                        Assert.Equal(i, BitConverter.ToInt32(buffer, 0), "round trip value");
                    }
                });
                Assert.True(work.Wait(Limit), "the async exchange did not finish in 30 s");
            });

            tests.Add("tcp.connection-refused", () =>
            {
                using var client = new TcpClient();
                SocketException error = Assert.Throws<SocketException>(() => client.Connect(IPAddress.Loopback, 1));
                Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode, "SocketErrorCode (127.0.0.1:1)");

                using var own = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                Task connecting = own.ConnectAsync(new IPEndPoint(IPAddress.Parse("10.0.2.15"), 2));
                AggregateException failure = Assert.Throws<AggregateException>(() => connecting.Wait(Limit));
                SocketException inner = Assert.IsType<SocketException>(failure.InnerException, "async connect's exception");
                Assert.Equal(SocketError.ConnectionRefused, inner.SocketErrorCode, "SocketErrorCode (10.0.2.15:2, async)");
            });

            tests.Add("tcp.address-in-use", () =>
            {
                using var first = new TcpListener(IPAddress.Any, 7300);
                first.Start();
                using var second = new TcpListener(IPAddress.Any, 7300);
                SocketException error = Assert.Throws<SocketException>(() => second.Start());
                Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode, "SocketErrorCode");
                first.Stop();
                second.Start();
                second.Stop();
            });

            tests.Add("tcp.receive-timeout", () =>
            {
                (Socket client, Socket server, Socket listener) = ConnectedPair();
                using (client)
                using (server)
                using (listener)
                {
                    server.ReceiveTimeout = 300;
                    var clock = Stopwatch.StartNew();
                    SocketException error = Assert.Throws<SocketException>(() => server.Receive(new byte[4]));
                    Assert.Equal(SocketError.TimedOut, error.SocketErrorCode, "SocketErrorCode");
                    Assert.True(clock.ElapsedMilliseconds >= 250, $"the receive gave up after {clock.ElapsedMilliseconds} ms, not 300");
                    Assert.True(clock.ElapsedMilliseconds < 5_000, $"the receive took {clock.ElapsedMilliseconds} ms to time out");
                }
            });

            tests.Add("tcp.reset-by-peer", () =>
            {
                (Socket client, Socket server, Socket listener) = ConnectedPair();
                using (client)
                using (listener)
                {
                    server.LingerState = new LingerOption(true, 0);
                    server.Close();
                    client.ReceiveTimeout = 5_000;
                    SocketException error = Assert.Throws<SocketException>(() => client.Receive(new byte[4]));
                    Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode, "SocketErrorCode");
                }
            });

            tests.Add("socket.options-and-poll", () =>
            {
                (Socket client, Socket server, Socket listener) = ConnectedPair();
                using (client)
                using (server)
                using (listener)
                {
                    client.NoDelay = true;
                    Assert.True(client.NoDelay, "NoDelay after setting it");
                    client.NoDelay = false;
                    Assert.False(client.NoDelay, "NoDelay after clearing it");
                    client.ReceiveBufferSize = 64 * 1024;
                    Assert.True(client.ReceiveBufferSize >= 64 * 1024, $"ReceiveBufferSize is {client.ReceiveBufferSize}");
                    client.SendBufferSize = 32 * 1024;
                    Assert.True(client.SendBufferSize >= 32 * 1024, $"SendBufferSize is {client.SendBufferSize}");
                    client.LingerState = new LingerOption(true, 3);
                    Assert.Equal(3, client.LingerState.LingerTime, "LingerTime");
                    Assert.True(client.LingerState.Enabled, "linger enabled");
                    Assert.Equal(SocketType.Stream, client.SocketType, "SocketType");
                    Assert.True(client.Connected, "Connected");

                    Assert.False(server.Poll(200_000, SelectMode.SelectRead), "readable before anything was sent");
                    Assert.True(server.Poll(0, SelectMode.SelectWrite), "a connected socket is writable");
                    client.Send(new byte[10]);
                    Assert.True(server.Poll(5_000_000, SelectMode.SelectRead), "not readable within 5 s of a send");
                    Assert.Equal(10, server.Available, "Available");
                }
            });

            tests.Add("socket.descriptors-are-closed", () =>
            {
                var sockets = new Socket[50];
                for (int round = 0; round < 3; round++)
                {
                    for (int i = 0; i < sockets.Length; i++)
                    {
                        sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                        sockets[i].Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    }

                    long first = sockets[0].Handle;
                    foreach (Socket socket in sockets)
                    {
                        socket.Dispose();
                    }

                    using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    Assert.Equal(first, (long)again.Handle, "the lowest descriptor is free again after Dispose");
                }

                Assert.Throws<ObjectDisposedException>(() => sockets[0].Send(new byte[1]));
            });
        }

        /// <summary>A connected TCP pair over 127.0.0.1 (blocking), and the listener that made it.</summary>
        private static (Socket Client, Socket Server, Socket Listener) ConnectedPair()
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            Socket server = listener.Accept();
            return (client, server, listener);
        }

        internal static byte[] Pattern(int length, int seed)
        {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                bytes[i] = Peer.PatternByte(i, seed);
            }

            return bytes;
        }

        internal static void CheckPattern(ReadOnlySpan<byte> bytes, int seed, long offset = 0)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] != Peer.PatternByte(offset + i, seed))
                {
                    Assert.Fail($"byte {offset + i} is {bytes[i]}, expected {Peer.PatternByte(offset + i, seed)}");
                }
            }
        }
    }
}
