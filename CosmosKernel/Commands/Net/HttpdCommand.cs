using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Cosmos.System.Network;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands.Net
{
    /// <summary>
    /// <c>httpd [PORT] [DIR]</c> starts the file server (a listener thread and a thread per connection; the shell returns);
    /// <c>httpd stop</c> ends it and its connections; <c>httpd status</c>.
    /// </summary>
    public sealed class HttpdCommand : IShellCommand
    {
        private readonly NetworkSubsystem _network;
        private HttpFileServer? _server;

        public HttpdCommand(NetworkSubsystem network) => _network = network;

        public string Name => "httpd";

        public string Summary => "httpd [PORT] [DIR]   serve files over HTTP (port 80, DIR /); httpd stop|status";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count == 1 && arguments[0] == "stop")
            {
                if (_server == null)
                {
                    output.WriteLine("httpd: not running");
                    return 1;
                }

                bool ended = _server.Stop();
                output.WriteLine($"httpd: stopped ({_server.Requests} requests, {_server.BytesSent} bytes sent)"
                    + (ended ? "" : $"; its threads did not all end within 5 s ({_server.OpenConnections} connections still open)"));
                _server = null;
                return 0;
            }

            if (arguments.Count == 1 && arguments[0] == "status")
            {
                output.WriteLine(_server == null
                    ? "httpd: not running"
                    : $"httpd: serving {_server.Root} on port {_server.Port}, {_server.Requests} requests, {_server.BytesSent} bytes sent, "
                        + $"{_server.OpenConnections} of {HttpFileServer.MaxConnections} connections open, {_server.RefusedConnections} refused (busy)");
                return 0;
            }

            if (arguments.Count > 2)
            {
                output.WriteLine("httpd: usage: httpd [PORT] [DIR] | httpd stop | httpd status");
                return 2;
            }

            ushort port = 80;
            if (arguments.Count >= 1 && (!ushort.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port == 0))
            {
                output.WriteLine($"httpd: bad port '{arguments[0]}' (1 to 65535)");
                return 2;
            }

            string root = Path.GetFullPath(arguments.Count == 2 ? arguments[1] : "/");
            if (!Directory.Exists(root))
            {
                output.WriteLine($"httpd: {root}: no such directory");
                return 1;
            }

            if (_server != null)
            {
                output.WriteLine($"httpd: already serving {_server.Root} on port {_server.Port} (httpd stop first)");
                return 1;
            }

            NetworkResult result = HttpFileServer.Start(_network, port, root, out _server);
            if (result != NetworkResult.Success)
            {
                output.WriteLine($"httpd: cannot listen on port {port}: {NetTools.Describe(result)}");
                return 1;
            }

            output.WriteLine($"httpd: serving {root} on port {port}");
            return 0;
        }
    }
}
