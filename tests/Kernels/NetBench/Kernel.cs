using System;
using System.Net;
using System.Net.Sockets;
using Cosmos.Core;

namespace NetBench
{
    /// <summary>
    /// The network figures of <c>./cosmos bench</c> (tests/bench/net_figures.py), through the class library's sockets:
    /// a TCP sink, a TCP source and a TCP echo server on port 5555, one connection each, in that order. Before each it
    /// prints <c>NETBENCH-WAIT name 5555</c> and the host connects through hostfwd and times the transfer itself, as
    /// the Linux peer's bench does. Ends QEMU through isa-debug-exit with code 16 (QEMU exits with 33).
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        private const byte ExitCodeDone = 16;
        private const int Port = 5555;
        private const long SourceBytes = 64L << 20;

        protected override void BeforeRun()
        {
            if (Network.WaitForAddress(30_000) == null)
            {
                Console.WriteLine("NETBENCH-ERROR no address from DHCP in 30 s");
                Power.Exit(ExitCodeDone);
            }

            var listener = new TcpListener(IPAddress.Any, Port);
            listener.Start();
            byte[] buffer = new byte[64 * 1024];
            new Random(5).NextBytes(buffer);

            Console.WriteLine($"NETBENCH-WAIT tcpsink {Port}");
            using (TcpClient client = listener.AcceptTcpClient())
            {
                NetworkStream stream = client.GetStream();
                long total = 0;
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    total += read;
                }

                Console.WriteLine($"RESULT tcp_sink_bytes {total}");
            }

            Console.WriteLine($"NETBENCH-WAIT tcpsource {Port}");
            using (TcpClient client = listener.AcceptTcpClient())
            {
                NetworkStream stream = client.GetStream();
                for (long sent = 0; sent < SourceBytes; sent += buffer.Length)
                {
                    stream.Write(buffer, 0, buffer.Length);
                }

                client.Client.Shutdown(SocketShutdown.Send);
                while (stream.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }

            Console.WriteLine($"NETBENCH-WAIT tcpecho {Port}");
            using (TcpClient client = listener.AcceptTcpClient())
            {
                client.NoDelay = true;
                NetworkStream stream = client.GetStream();
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    stream.Write(buffer, 0, read);
                }
            }

            listener.Stop();
            Console.WriteLine("RESULT-END");
            Power.Exit(ExitCodeDone);
        }

        protected override void Run()
        {
        }
    }
}
