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
    /// <summary>
    /// Real peers on the host (socket_peer.py on Linux's own stack): a TCP client through hostfwd that talks to our
    /// listeners, a TCP echo server we reach through guestfwd, and datagrams sent to us through hostfwd=udp.
    /// The host checks its side of every exchange too.
    /// </summary>
    internal static class HostPeerChecks
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

        public static void Add(TestRunner tests)
        {
            tests.Add("tcp.client-to-host-echo-server", () =>
            {
                using var client = new TcpClient();
                client.ReceiveTimeout = 30_000;
                client.SendTimeout = 30_000;
                client.Connect(Peer.ForwardAddress, Peer.EchoPort);
                Assert.Equal(IPAddress.Parse(Peer.ForwardAddress), ((IPEndPoint)client.Client.RemoteEndPoint!).Address, "RemoteEndPoint");
                NetworkStream stream = client.GetStream();
                const int size = 1 << 20;
                byte[] echoed = new byte[size];
                int got = 0;
                var reader = new Thread(() =>
                {
                    while (got < size)
                    {
                        int n = stream.Read(echoed, got, size - got);
                        if (n == 0)
                        {
                            break;
                        }

                        got += n;
                    }
                });
                reader.Start();
                stream.Write(LoopbackChecks.Pattern(size, 11));
                Assert.True(reader.Join(Limit), "the echo did not come back within 60 s");
                Assert.Equal(size, got, "bytes echoed");
                LoopbackChecks.CheckPattern(echoed, 11);
                // QEMU's guestfwd is a character device connected once: neither side's close crosses it (the host's
                // echo server reports its byte count when QEMU exits), so there is no EOF to wait for here.
                client.Client.Shutdown(SocketShutdown.Send);
            });

            tests.Add("tcp.listener-serves-host-client", () =>
            {
                using var listener = new TcpListener(IPAddress.Any, Peer.SyncListenPort);
                listener.Start();
                var clock = Stopwatch.StartNew();
                while (!listener.Pending())
                {
                    Assert.True(clock.Elapsed < Limit, "the host client did not connect within 60 s");
                    Thread.Sleep(20);
                }

                using TcpClient client = listener.AcceptTcpClient();
                Assert.Equal(IPAddress.Parse(Peer.HostAddress), ((IPEndPoint)client.Client.RemoteEndPoint!).Address, "the peer is QEMU's host");
                client.ReceiveTimeout = 30_000;
                NetworkStream stream = client.GetStream();
                (int wanted, int coming) = ReadHello(ReadLine(stream));
                byte[] upload = new byte[coming];
                stream.ReadExactly(upload);
                LoopbackChecks.CheckPattern(upload, 3);
                stream.Write(Encoding.ASCII.GetBytes($"COSMOS {wanted} {coming}\n"));
                stream.Write(LoopbackChecks.Pattern(wanted, 7));
                client.Client.Shutdown(SocketShutdown.Send);
                Assert.Equal(0, stream.Read(new byte[1], 0, 1), "the host client closes after the reply");
            });

            tests.Add("tcp.async-listener-serves-host-client", () =>
            {
                Task work = Task.Run(async () =>
                {
                    var listener = new TcpListener(IPAddress.Any, Peer.AsyncListenPort);
                    listener.Start();
                    try
                    {
                        using TcpClient client = await listener.AcceptTcpClientAsync().WaitAsync(Limit);
                        NetworkStream stream = client.GetStream();
                        string hello = await ReadLineAsync(stream);
                        (int wanted, int coming) = ReadHello(hello);
                        byte[] upload = new byte[coming];
                        await stream.ReadExactlyAsync(upload);
                        LoopbackChecks.CheckPattern(upload, 3);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"COSMOS {wanted} {coming}\n"));
                        await stream.WriteAsync(LoopbackChecks.Pattern(wanted, 7));
                        client.Client.Shutdown(SocketShutdown.Send);
                        Assert.Equal(0, await stream.ReadAsync(new byte[1]), "the host client closes after the reply");
                    }
                    finally
                    {
                        listener.Stop();
                    }
                });
                Assert.True(work.Wait(Limit + TimeSpan.FromSeconds(10)), "the async server did not finish within 70 s");
            });

            tests.Add("udp.receive-from-host", () =>
            {
                using var udp = new UdpClient(Peer.DatagramPort);
                udp.Client.ReceiveTimeout = 30_000;
                IPEndPoint? from = null;
                byte[] datagram = udp.Receive(ref from);
                string text = Encoding.ASCII.GetString(datagram);
                Assert.True(text.StartsWith("DATAGRAM ", StringComparison.Ordinal), $"unexpected datagram '{text}'");
                Assert.Equal(IPAddress.Parse(Peer.HostAddress), from!.Address, "datagram source");
            });

            tests.Add("udp.send-to-host", () =>
            {
                // restrict=on: QEMU drops it, but the send itself must succeed and report the bytes.
                using var udp = new UdpClient();
                byte[] message = Encoding.ASCII.GetBytes("from cosmos");
                Assert.Equal(message.Length, udp.Send(message, message.Length, Peer.HostAddress, Peer.ClosedPort), "bytes sent");
                udp.Connect(Peer.HostAddress, Peer.ClosedPort);
                Assert.Equal(message.Length, udp.Send(message, message.Length), "bytes sent on a connected UdpClient");
            });
        }

        private static (int Wanted, int Coming) ReadHello(string line)
        {
            string[] parts = line.Split(' ');
            if (parts.Length != 3 || parts[0] != "HELLO" || !int.TryParse(parts[1], out int wanted) || !int.TryParse(parts[2], out int coming))
            {
                throw new CheckFailedException($"the host client sent '{line}', not 'HELLO <n> <m>'");
            }

            return (wanted, coming);
        }

        private static string ReadLine(Stream stream)
        {
            var line = new StringBuilder();
            while (true)
            {
                int b = stream.ReadByte();
                if (b < 0 || b == '\n')
                {
                    return line.ToString();
                }

                line.Append((char)b);
            }
        }

        private static async Task<string> ReadLineAsync(Stream stream)
        {
            var line = new StringBuilder();
            byte[] one = new byte[1];
            while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
            {
                line.Append((char)one[0]);
            }

            return line.ToString();
        }
    }
}
