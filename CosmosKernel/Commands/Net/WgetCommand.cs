using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Cosmos.System.Network;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands.Net
{
    /// <summary><c>wget URL FILE</c>: an HTTP/1.1 GET (http:// only, host by address or name) saved to a file.</summary>
    public sealed class WgetCommand : IShellCommand
    {
        private const long ConnectTimeoutMilliseconds = 10_000;
        private const long IdleTimeoutMilliseconds = 30_000;
        private readonly NetworkSubsystem _network;

        public WgetCommand(NetworkSubsystem network) => _network = network;

        public string Name => "wget";

        public string Summary => "wget URL FILE        download an http:// URL to a file";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count != 2)
            {
                output.WriteLine("wget: usage: wget URL FILE");
                return 2;
            }

            if (!TryParseUrl(arguments[0], out string host, out ushort port, out string target, out string? problem))
            {
                output.WriteLine($"wget: {arguments[0]}: {problem}");
                return 2;
            }

            if (!NetTools.TryResolve(_network, host, output, "wget", out Ipv4Address address))
            {
                return 1;
            }

            NetworkResult result = _network.Connect(address, port, ConnectTimeoutMilliseconds, out NetworkTcpConnection? connection);
            if (result != NetworkResult.Success)
            {
                output.WriteLine($"wget: cannot connect to {address}:{port}: {NetTools.Describe(result)}");
                return 1;
            }

            try
            {
                return Download(connection!, host, port, target, arguments[1], output);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
            {
                connection!.Abort();
                output.WriteLine($"wget: {arguments[1]}: {error.Message}");
                return 1;
            }
        }

        private static int Download(NetworkTcpConnection connection, string host, ushort port, string target, string path, TextWriter output)
        {
            long started = Environment.TickCount64;
            string hostHeader = port == 80 ? host : $"{host}:{port}";
            string request = $"GET {target} HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: CosmosKernel-wget\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            NetworkResult result = connection.Send(Encoding.ASCII.GetBytes(request), IdleTimeoutMilliseconds);
            var reader = new TcpReader(connection, IdleTimeoutMilliseconds);
            string? head = result == NetworkResult.Success ? reader.ReadHeaderBlock(16 * 1024) : null;
            if (head == null)
            {
                connection.Abort();
                output.WriteLine($"wget: no HTTP response: {NetTools.Describe(result != NetworkResult.Success ? result : reader.LastResult)}");
                return 1;
            }

            string[] lines = head.Split("\r\n");
            string[] status = lines[0].Split(' ', 3);
            if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                connection.Abort();
                output.WriteLine($"wget: not an HTTP response: {lines[0]}");
                return 1;
            }

            if (status[1] != "200")
            {
                connection.Abort();
                output.WriteLine($"wget: server answered {status[1]} {(status.Length > 2 ? status[2] : "")}".TrimEnd());
                return 1;
            }

            long length = -1;
            foreach (string line in lines)
            {
                int colon = line.IndexOf(':');
                string name = colon > 0 ? line[..colon].Trim() : "";
                string value = colon > 0 ? line[(colon + 1)..].Trim() : "";
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length))
                {
                    connection.Abort();
                    output.WriteLine($"wget: bad Content-Length '{value}'");
                    return 1;
                }

                if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !value.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    connection.Abort();
                    output.WriteLine($"wget: transfer encoding '{value}' is not supported");
                    return 1;
                }
            }

            long received = 0;
            // Whole 256 KiB writes: a TCP read returns what has arrived (often one segment), and unbuffered writes of
            // that size cost FAT a partial-cluster read-modify-write each, which held wget to about 1 MB/s.
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 256 * 1024, FileOptions.None))
            {
                byte[] chunk = new byte[64 * 1024];
                while (length < 0 || received < length)
                {
                    int want = length < 0 ? chunk.Length : (int)Math.Min(chunk.Length, length - received);
                    int read = reader.Read(chunk.AsSpan(0, want));
                    if (read == 0)
                    {
                        break;
                    }

                    file.Write(chunk, 0, read);
                    received += read;
                }
            }

            if (length >= 0 && received < length)
            {
                connection.Abort();
                output.WriteLine($"wget: transfer ended after {received} of {length} bytes: {NetTools.Describe(reader.LastResult == NetworkResult.Success ? NetworkResult.Closed : reader.LastResult)}");
                return 1;
            }

            connection.Close(2_000);
            double seconds = Math.Max(1, Environment.TickCount64 - started) / 1000.0;
            output.WriteLine($"wget: saved {received} bytes to {Path.GetFullPath(path)} in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({(received / 1024.0 / seconds).ToString("0", CultureInfo.InvariantCulture)} KiB/s)");
            return 0;
        }

        // http://HOST[:PORT][/PATH]; anything else is refused with the reason.
        internal static bool TryParseUrl(string url, out string host, out ushort port, out string target, out string? problem)
        {
            host = "";
            port = 80;
            target = "/";
            problem = null;
            const string scheme = "http://";
            if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                problem = url.Contains("://", StringComparison.Ordinal) ? "only http:// URLs are supported" : "not a URL (http://HOST[:PORT]/PATH)";
                return false;
            }

            string rest = url[scheme.Length..];
            int slash = rest.IndexOf('/');
            string authority = slash < 0 ? rest : rest[..slash];
            target = slash < 0 ? "/" : rest[slash..];
            int colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                if (!ushort.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port == 0)
                {
                    problem = $"bad port '{authority[(colon + 1)..]}'";
                    return false;
                }

                authority = authority[..colon];
            }

            if (authority.Length == 0 || authority.Contains('@'))
            {
                problem = "no host in the URL";
                return false;
            }

            host = authority;
            return true;
        }
    }
}
