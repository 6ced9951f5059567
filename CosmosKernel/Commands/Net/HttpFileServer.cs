using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using Cosmos.System.Network;

namespace CosmosKernel.Commands.Net
{
    /// <summary>
    /// A small HTTP/1.1 file server (RFC 9112) on its own thread: GET and HEAD of files under a root directory with an
    /// exact Content-Length, a plain listing for a directory, 404 for what does not exist, keep-alive unless the client
    /// asks to close. One connection is served at a time; file reads take the file system lock call by call, so the
    /// shell stays usable during a transfer.
    /// </summary>
    public sealed class HttpFileServer
    {
        private const long IdleTimeoutMilliseconds = 10_000;
        private const long SendTimeoutMilliseconds = 30_000;
        private readonly NetworkTcpListener _listener;
        private readonly string _root;
        private readonly Thread _thread;
        private volatile bool _stopping;

        private HttpFileServer(NetworkTcpListener listener, string root)
        {
            _listener = listener;
            _root = root;
            _thread = new Thread(Serve) { IsBackground = true, Name = "httpd" };
        }

        /// <summary>The listening port.</summary>
        public ushort Port => _listener.Port;

        /// <summary>The directory served as "/".</summary>
        public string Root => _root;

        /// <summary>Requests answered.</summary>
        public long Requests { get; private set; }

        /// <summary>Body bytes sent.</summary>
        public long BytesSent { get; private set; }

        /// <summary>Starts serving <paramref name="root"/> on <paramref name="port"/>; the listener's error when it cannot listen.</summary>
        public static NetworkResult Start(NetworkSubsystem network, ushort port, string root, out HttpFileServer? server)
        {
            server = null;
            NetworkResult result = network.Listen(port, 8, out NetworkTcpListener? listener);
            if (result != NetworkResult.Success)
            {
                return result;
            }

            server = new HttpFileServer(listener!, root);
            server._thread.Start();
            return result;
        }

        /// <summary>Stops accepting, ends the serving thread after its current connection and waits up to 5 s for it.</summary>
        public void Stop()
        {
            _stopping = true;
            _listener.Close();
            _thread.Join(5_000);
        }

        private void Serve()
        {
            while (!_stopping)
            {
                NetworkResult result = _listener.Accept(-1, out NetworkTcpConnection? connection);
                if (result == NetworkResult.Closed)
                {
                    return;
                }

                if (connection == null)
                {
                    continue;
                }

                try
                {
                    ServeConnection(connection);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    // A file that failed mid-response (or a bug): the peer sees the connection end early, the server goes on.
                    Console.WriteLine($"[httpd] {connection.RemoteAddress}:{connection.RemotePort}: {error.GetType().Name}: {error.Message}");
                    connection.Abort();
                    continue;
                }

                connection.Close(2_000);
            }
        }

        private void ServeConnection(NetworkTcpConnection connection)
        {
            var reader = new TcpReader(connection, IdleTimeoutMilliseconds);
            while (!_stopping)
            {
                string? head = reader.ReadHeaderBlock();
                if (head == null)
                {
                    if (reader.IsTooLong)
                    {
                        Respond(connection, 431, "Request Header Fields Too Large", keepAlive: false);
                    }

                    return;
                }

                if (!HandleRequest(connection, head))
                {
                    return;
                }
            }
        }

        // Answers one request; false when the connection is to close after it.
        private bool HandleRequest(NetworkTcpConnection connection, string head)
        {
            string[] lines = head.Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !requestLine[1].StartsWith('/'))
            {
                Respond(connection, 400, "Bad Request", keepAlive: false);
                return false;
            }

            // HTTP/1.1 keeps the connection unless told to close; 1.0 closes unless told to keep it (RFC 9112 §9.3).
            bool keepAlive = requestLine[2] == "HTTP/1.1";
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon > 0 && lines[i][..colon].Trim().Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    string value = lines[i][(colon + 1)..].Trim();
                    keepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                        || (keepAlive && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
                }
            }

            string method = requestLine[0];
            if (method != "GET" && method != "HEAD")
            {
                Respond(connection, 405, "Method Not Allowed", keepAlive, "Allow: GET, HEAD\r\n");
                return keepAlive;
            }

            string? path = MapPath(requestLine[1]);
            bool headRequest = method == "HEAD";
            if (path != null && File.Exists(path))
            {
                return SendFile(connection, path, headRequest, keepAlive) && keepAlive;
            }

            if (path != null && Directory.Exists(path))
            {
                var listing = new StringBuilder();
                foreach (string entry in Directory.GetFileSystemEntries(path))
                {
                    listing.Append(Path.GetFileName(entry)).Append(Directory.Exists(entry) ? "/\n" : "\n");
                }

                return Respond(connection, 200, "OK", keepAlive, body: listing.ToString(), headOnly: headRequest) && keepAlive;
            }

            return Respond(connection, 404, "Not Found", keepAlive, headOnly: headRequest) && keepAlive;
        }

        private bool SendFile(NetworkTcpConnection connection, string path, bool headOnly, bool keepAlive)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            long length = file.Length;
            string header = $"HTTP/1.1 200 OK\r\nContent-Length: {length.ToString(CultureInfo.InvariantCulture)}\r\n"
                + $"Content-Type: {ContentType(path)}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\nServer: CosmosKernel\r\n\r\n";
            Requests++;
            if (connection.Send(Encoding.ASCII.GetBytes(header), SendTimeoutMilliseconds) != NetworkResult.Success)
            {
                return false;
            }

            if (headOnly)
            {
                return true;
            }

            byte[] chunk = new byte[32 * 1024];
            long left = length;
            while (left > 0)
            {
                int count = file.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
                if (count == 0)
                {
                    throw new IOException($"{path} ended {left} bytes early");
                }

                if (connection.Send(chunk.AsSpan(0, count), SendTimeoutMilliseconds) != NetworkResult.Success)
                {
                    return false;
                }

                left -= count;
                BytesSent += count;
            }

            return true;
        }

        private bool Respond(NetworkTcpConnection connection, int status, string reason, bool keepAlive, string extraHeaders = "", string? body = null, bool headOnly = false)
        {
            body ??= $"{status} {reason}\n";
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string header = $"HTTP/1.1 {status} {reason}\r\nContent-Length: {bytes.Length}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + $"Connection: {(keepAlive ? "keep-alive" : "close")}\r\nServer: CosmosKernel\r\n{extraHeaders}\r\n";
            Requests++;
            if (connection.Send(Encoding.ASCII.GetBytes(header), SendTimeoutMilliseconds) != NetworkResult.Success)
            {
                return false;
            }

            return headOnly || connection.Send(bytes, SendTimeoutMilliseconds) == NetworkResult.Success;
        }

        // The file a request target names under the root: percent-decoded, query dropped, no way out through "..".
        private string? MapPath(string target)
        {
            int query = target.IndexOfAny(new[] { '?', '#' });
            if (query >= 0)
            {
                target = target[..query];
            }

            string decoded;
            try
            {
                decoded = Uri.UnescapeDataString(target);
            }
            catch (UriFormatException)
            {
                return null;
            }

            foreach (string part in decoded.Split('/'))
            {
                if (part == "..")
                {
                    return null;
                }
            }

            return _root.TrimEnd('/') + "/" + decoded.TrimStart('/');
        }

        private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".txt" or ".md" or ".cs" => "text/plain; charset=utf-8",
            ".html" or ".htm" => "text/html; charset=utf-8",
            ".json" => "application/json",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            _ => "application/octet-stream",
        };
    }
}
