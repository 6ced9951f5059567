using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Cosmos.System.Network;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands.Net
{
    /// <summary><c>nc -l PORT [-w SECS]</c>: waits for one TCP connection and echoes what it receives until the peer closes.</summary>
    public sealed class NcCommand : IShellCommand
    {
        private readonly NetworkSubsystem _network;

        public NcCommand(NetworkSubsystem network) => _network = network;

        public string Name => "nc";

        public string Summary => "nc -l PORT [-w SECS] echo one TCP connection back to its sender (waits 60 s)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            ushort port = 0;
            int waitSeconds = 60;
            bool listen = false;
            for (int i = 0; i < arguments.Count; i++)
            {
                bool hasValue = i + 1 < arguments.Count;
                if (arguments[i] == "-l" && hasValue && ushort.TryParse(arguments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port != 0)
                {
                    listen = true;
                    i++;
                }
                else if (arguments[i] == "-w" && hasValue && int.TryParse(arguments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out waitSeconds) && waitSeconds > 0)
                {
                    i++;
                }
                else
                {
                    output.WriteLine("nc: usage: nc -l PORT [-w SECS]  (PORT 1 to 65535)");
                    return 2;
                }
            }

            if (!listen)
            {
                output.WriteLine("nc: usage: nc -l PORT [-w SECS]  (only listening is supported)");
                return 2;
            }

            NetworkResult result = _network.Listen(port, 1, out NetworkTcpListener? listener);
            if (result != NetworkResult.Success)
            {
                output.WriteLine($"nc: cannot listen on port {port}: {NetTools.Describe(result)}");
                return 1;
            }

            using (listener)
            {
                output.WriteLine($"nc: listening on port {port}");
                result = listener!.Accept(waitSeconds * 1000L, out NetworkTcpConnection? connection);
                if (result != NetworkResult.Success)
                {
                    output.WriteLine($"nc: no connection: {NetTools.Describe(result)}");
                    return 1;
                }

                output.WriteLine($"nc: connection from {connection!.RemoteAddress}:{connection.RemotePort}");
                return Echo(connection, waitSeconds, output);
            }
        }

        private static int Echo(NetworkTcpConnection connection, int waitSeconds, TextWriter output)
        {
            byte[] buffer = new byte[4096];
            long echoed = 0;
            while (true)
            {
                NetworkResult result = connection.Receive(buffer, waitSeconds * 1000L, out int read);
                if (result == NetworkResult.Success && read == 0)
                {
                    connection.Close(2_000);
                    output.WriteLine($"nc: connection closed, {echoed} bytes echoed");
                    return 0;
                }

                if (result == NetworkResult.Success)
                {
                    result = connection.Send(buffer.AsSpan(0, read), waitSeconds * 1000L);
                    echoed += read;
                }

                if (result != NetworkResult.Success)
                {
                    connection.Abort();
                    output.WriteLine($"nc: {NetTools.Describe(result)} after {echoed} bytes echoed");
                    return 1;
                }
            }
        }
    }
}
