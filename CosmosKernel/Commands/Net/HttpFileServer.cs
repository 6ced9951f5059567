using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using Cosmos.System.Network;

namespace CosmosKernel.Commands.Net
{
    /// <summary>
    /// A small HTTP/1.1 file server (RFC 9112): GET and HEAD of files under a root directory with an exact
    /// Content-Length, a plain listing for a directory, 404 for what does not exist, keep-alive unless the client asks to
    /// close. A listener thread accepts connections and serves each on a kernel thread of its own, up to
    /// <see cref="MaxConnections"/> at once; a connection beyond that waits up to half a second for one of them to end
    /// (a client that has just closed may still have its thread finishing), then is answered 503 with Retry-After and
    /// closed, so that a client learns the server is busy instead of waiting in the backlog behind connections that may
    /// stay open for their idle timeout. A connection whose next request does not arrive in full within 10 s is
    /// closed. File reads take the file system lock call by call, so connections and the shell share the disk.
    /// </summary>
    public sealed class HttpFileServer
    {
        /// <summary>Connections served at once.</summary>
        public const int MaxConnections = 8;

        // The whole next request head must arrive within this, so a silent or trickling client cannot hold its thread.
        private const long IdleTimeoutMilliseconds = 10_000;
        private const long SendTimeoutMilliseconds = 30_000;
        private const long BusySendTimeoutMilliseconds = 1_000;
        private const long CloseLingerMilliseconds = 2_000;
        private const int StopWaitMilliseconds = 5_000;
        private const int AdmitWaitMilliseconds = 500;

        // A connection's thread: file system and network calls, no recursion; the 512 KiB default is mostly unused, and
        // eight connections would otherwise take 4 MiB of stacks.
        private const int ConnectionStackBytes = 256 * 1024;

        private readonly NetworkTcpListener _listener;
        private readonly string _root;
        private readonly Thread _acceptThread;
        private readonly object _gate = new object();
        private readonly List<Session> _sessions = new List<Session>();
        private volatile bool _stopping;
        private long _requests;
        private long _bytesSent;
        private long _refused;

        private HttpFileServer(NetworkTcpListener listener, string root)
        {
            _listener = listener;
            _root = root;
            _acceptThread = new Thread(AcceptConnections) { IsBackground = true, Name = "httpd" };
        }

        /// <summary>The listening port.</summary>
        public ushort Port => _listener.Port;

        /// <summary>The directory served as "/".</summary>
        public string Root => _root;

        /// <summary>Requests answered.</summary>
        public long Requests => Interlocked.Read(ref _requests);

        /// <summary>Body bytes sent.</summary>
        public long BytesSent => Interlocked.Read(ref _bytesSent);

        /// <summary>Connections answered 503 because <see cref="MaxConnections"/> were being served.</summary>
        public long RefusedConnections => Interlocked.Read(ref _refused);

        /// <summary>Connections being served now.</summary>
        public int OpenConnections
        {
            get
            {
                lock (_gate)
                {
                    return _sessions.Count;
                }
            }
        }

        /// <summary>Starts serving <paramref name="root"/> on <paramref name="port"/>; the listener's error when it cannot listen.</summary>
        public static NetworkResult Start(NetworkSubsystem network, ushort port, string root, out HttpFileServer? server)
        {
            server = null;
            NetworkResult result = network.Listen(port, MaxConnections, out NetworkTcpListener? listener);
            if (result != NetworkResult.Success)
            {
                return result;
            }

            server = new HttpFileServer(listener!, root);
            server._acceptThread.Start();
            return result;
        }

        /// <summary>
        /// Stops accepting, resets every open connection (a transfer in progress ends early) and waits up to 5 s in all
        /// for the listener's and the connections' threads to end; false when one did not.
        /// </summary>
        public bool Stop()
        {
            long deadline = Environment.TickCount64 + StopWaitMilliseconds;
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }

            // No connection is admitted once _stopping is set; the accept thread finishes the one in hand and returns.
            _listener.Close();
            bool ended = _acceptThread.Join(Remaining(deadline));
            Session[] open;
            lock (_gate)
            {
                open = _sessions.ToArray();
            }

            // Abort wakes a thread waiting for a request or for send space: its call returns the reset.
            foreach (Session session in open)
            {
                session.Connection.Abort();
            }

            foreach (Session session in open)
            {
                ended &= (session.Thread.ThreadState & ThreadState.Unstarted) != 0 || session.Thread.Join(Remaining(deadline));
            }

            return ended;
        }

        private static int Remaining(long deadline) => (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);

        private void AcceptConnections()
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

                var session = new Session(connection, Serve);
                bool admitted;
                lock (_gate)
                {
                    long deadline = Environment.TickCount64 + AdmitWaitMilliseconds;
                    while (!_stopping && _sessions.Count >= MaxConnections && Remaining(deadline) > 0)
                    {
                        Monitor.Wait(_gate, Remaining(deadline));
                    }

                    admitted = !_stopping && _sessions.Count < MaxConnections;
                    if (admitted)
                    {
                        _sessions.Add(session);
                    }
                }

                if (!admitted)
                {
                    Refuse(connection);
                    continue;
                }

                try
                {
                    session.Thread.Start();
                }
                catch (OutOfMemoryException)
                {
                    // No memory for a stack: the client sees a reset; the server goes on.
                    Forget(session);
                    connection.Abort();
                }
            }
        }

        // More than MaxConnections (or stopping): say so and close without reading the request (RFC 9110 §15.6.4).
        private void Refuse(NetworkTcpConnection connection)
        {
            if (_stopping)
            {
                connection.Abort();
                return;
            }

            Interlocked.Increment(ref _refused);
            const string body = "503 Service Unavailable: too many connections\n";
            string response = $"HTTP/1.1 503 Service Unavailable\r\nContent-Length: {body.Length}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + $"Retry-After: 1\r\nConnection: close\r\nServer: CosmosKernel\r\n\r\n{body}";
            if (connection.Send(Encoding.ASCII.GetBytes(response), BusySendTimeoutMilliseconds) != NetworkResult.Success)
            {
                connection.Abort();
                return;
            }

            // The FIN follows the response in the background; the accept thread does not wait for it.
            connection.Close(0);
        }

        private void Serve(Session session)
        {
            NetworkTcpConnection connection = session.Connection;
            try
            {
                ServeConnection(connection);
                connection.Close(CloseLingerMilliseconds);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // A file that failed mid-response (or a bug): the peer sees the connection end early, the server goes on.
                Console.WriteLine($"[httpd] {connection.RemoteAddress}:{connection.RemotePort}: {error.GetType().Name}: {error.Message}");
                connection.Abort();
            }
            finally
            {
                Forget(session);
            }
        }

        private void Forget(Session session)
        {
            lock (_gate)
            {
                _sessions.Remove(session);
                Monitor.PulseAll(_gate);
            }
        }

        private void ServeConnection(NetworkTcpConnection connection)
        {
            var reader = new TcpReader(connection, IdleTimeoutMilliseconds);
            byte[]? chunk = null;
            while (!_stopping)
            {
                string? head = reader.ReadHeaderBlock(totalTimeoutMilliseconds: IdleTimeoutMilliseconds);
                if (head == null)
                {
                    if (reader.IsTooLong)
                    {
                        Respond(connection, 431, "Request Header Fields Too Large", keepAlive: false);
                    }

                    return;
                }

                if (!HandleRequest(connection, head, ref chunk))
                {
                    return;
                }
            }
        }

        // Answers one request; false when the connection is to close after it.
        private bool HandleRequest(NetworkTcpConnection connection, string head, ref byte[]? chunk)
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
                return SendFile(connection, path, headRequest, keepAlive, ref chunk) && keepAlive;
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

        private bool SendFile(NetworkTcpConnection connection, string path, bool headOnly, bool keepAlive, ref byte[]? chunk)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            long length = file.Length;
            string header = $"HTTP/1.1 200 OK\r\nContent-Length: {length.ToString(CultureInfo.InvariantCulture)}\r\n"
                + $"Content-Type: {ContentType(path)}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\nServer: CosmosKernel\r\n\r\n";
            Interlocked.Increment(ref _requests);
            if (connection.Send(Encoding.ASCII.GetBytes(header), SendTimeoutMilliseconds) != NetworkResult.Success)
            {
                return false;
            }

            if (headOnly)
            {
                return true;
            }

            // One buffer per connection, kept across its requests.
            chunk ??= new byte[32 * 1024];
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
                Interlocked.Add(ref _bytesSent, count);
            }

            return true;
        }

        private bool Respond(NetworkTcpConnection connection, int status, string reason, bool keepAlive, string extraHeaders = "", string? body = null, bool headOnly = false)
        {
            body ??= $"{status} {reason}\n";
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string header = $"HTTP/1.1 {status} {reason}\r\nContent-Length: {bytes.Length}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + $"Connection: {(keepAlive ? "keep-alive" : "close")}\r\nServer: CosmosKernel\r\n{extraHeaders}\r\n";
            Interlocked.Increment(ref _requests);
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

        // A connection being served and the thread (not yet started) that serves it.
        private sealed class Session
        {
            public Session(NetworkTcpConnection connection, Action<Session> serve)
            {
                Connection = connection;
                Thread = new Thread(() => serve(this), ConnectionStackBytes)
                {
                    IsBackground = true,
                    Name = $"httpd {connection.RemoteAddress}:{connection.RemotePort}",
                };
            }

            public NetworkTcpConnection Connection { get; }

            public Thread Thread { get; }
        }
    }
}
