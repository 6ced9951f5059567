using System;
using Cosmos.Core.Pal;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A TCP socket: unbound, bound, listening (over a <see cref="TcpListener"/>) or connecting/connected (over a
    /// <see cref="TcpConnection"/>). Bind only reserves the port; the stack's listener or connection is made by listen
    /// or connect. Errors follow Linux: ECONNREFUSED, ECONNRESET, ETIMEDOUT from the connection, EPIPE after shutdown.
    /// </summary>
    public sealed class StreamSocket : KernelSocket
    {
        private Ipv4EndPoint _bound;
        private TcpListener? _listener;
        private TcpConnection? _connection;
        private bool _connectReported;
        private bool _receiveShut;
        private int _receiveBufferSize;
        private int _sendBufferSize;
        private bool _noDelay;
        private bool _keepAlive;

        internal StreamSocket(SocketCalls calls)
            : base(calls)
        {
            TcpSettings defaults = calls.Network.Stack.Tcp.Settings;
            _receiveBufferSize = defaults.ReceiveBufferSize;
            _sendBufferSize = defaults.SendBufferSize;
            _noDelay = defaults.NoDelay;
        }

        private StreamSocket(SocketCalls calls, TcpConnection connection, TcpSettings settings)
            : this(calls)
        {
            _connection = connection;
            _connectReported = true;
            _bound = new Ipv4EndPoint(connection.LocalAddress, connection.LocalPort);
            _receiveBufferSize = settings.ReceiveBufferSize;
            _sendBufferSize = settings.SendBufferSize;
            _noDelay = settings.NoDelay;
        }

        /// <inheritdoc/>
        public override int SocketType => 1;

        /// <inheritdoc/>
        public override int Protocol => 6;

        /// <inheritdoc/>
        public override bool IsListening => _listener != null;

        /// <summary>The local port this socket holds (bound, listening or connected), or 0.</summary>
        internal ushort BoundPort => _bound.Port;

        /// <inheritdoc/>
        public override int BytesAvailable => _connection?.BytesAvailable ?? 0;

        /// <inheritdoc/>
        public override bool NoDelay
        {
            get => _noDelay;
            set
            {
                lock (Network.SyncRoot)
                {
                    _noDelay = value;
                    if (_connection != null)
                    {
                        _connection.Settings.NoDelay = value;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override bool KeepAlive
        {
            get => _keepAlive;
            set => _keepAlive = value;
        }

        /// <inheritdoc/>
        public override int ReceiveBufferSize
        {
            get => _receiveBufferSize;
            set => _receiveBufferSize = Math.Clamp(value, 4096, 4 << 20);
        }

        /// <inheritdoc/>
        public override int SendBufferSize
        {
            get => _sendBufferSize;
            set => _sendBufferSize = Math.Clamp(value, 4096, 4 << 20);
        }

        /// <inheritdoc/>
        public override SocketEvents Readiness
        {
            get
            {
                if (_listener != null)
                {
                    return _listener.IsClosed ? SocketEvents.Close : _listener.IsReadable ? SocketEvents.Read : SocketEvents.None;
                }

                if (_connection == null)
                {
                    return SocketEvents.None;
                }

                TcpReadiness tcp = _connection.Readiness;
                SocketEvents events = SocketEvents.None;
                if ((tcp & TcpReadiness.Readable) != 0 || _receiveShut)
                {
                    events |= SocketEvents.Read;
                }

                if ((tcp & TcpReadiness.Writable) != 0)
                {
                    events |= SocketEvents.Write;
                }

                if ((tcp & TcpReadiness.Error) != 0)
                {
                    // A failed connect or a reset: both directions must wake up and find the error.
                    events |= SocketEvents.Error | SocketEvents.Read | SocketEvents.Write;
                }

                if (_connection.IsRemoteClosed)
                {
                    events |= SocketEvents.ReadClose;
                }

                if (_connection.State == TcpState.Closed)
                {
                    events |= SocketEvents.Close | SocketEvents.Read | SocketEvents.Write;
                }

                return events;
            }
        }

        internal override long EventSignature
        {
            get
            {
                long signature = (long)Readiness;
                if (_listener != null)
                {
                    signature |= _listener.Arrivals << 8;
                }
                else if (_connection != null)
                {
                    signature |= ((long)_connection.ReceiveSequence << 8) ^ ((long)_connection.AcknowledgedSequence << 31);
                }

                return signature;
            }
        }

        /// <inheritdoc/>
        public override int Bind(Ipv4EndPoint local)
        {
            lock (Network.SyncRoot)
            {
                if (_bound.Port != 0 || _listener != null || _connection != null)
                {
                    return -Errno.EINVAL;
                }

                if (!local.Address.IsAny && !local.Address.IsLoopback && Calls.FindInterface(local.Address) == null)
                {
                    return -Errno.EADDRNOTAVAIL;
                }

                int result = Calls.ReserveTcpPort(this, local.Port, out ushort port);
                if (result == 0)
                {
                    _bound = new Ipv4EndPoint(local.Address, port);
                }

                return result;
            }
        }

        /// <inheritdoc/>
        public override int Listen(int backlog)
        {
            lock (Network.SyncRoot)
            {
                if (_connection != null)
                {
                    return -Errno.EINVAL;
                }

                if (_listener != null)
                {
                    return 0;
                }

                if (_bound.Port == 0)
                {
                    int reserved = Calls.ReserveTcpPort(this, 0, out ushort port);
                    if (reserved < 0)
                    {
                        return reserved;
                    }

                    _bound = new Ipv4EndPoint(_bound.Address, port);
                }

                NetworkResult result = Network.Stack.Tcp.TryListen(_bound.Address, _bound.Port, Math.Clamp(backlog, 1, 1024), out TcpListener? listener);
                if (result != NetworkResult.Success)
                {
                    return SocketErrors.FromResult(result);
                }

                _listener = listener!;
                _listener.Settings = MakeSettings();
                return 0;
            }
        }

        /// <inheritdoc/>
        public override int Accept(out KernelSocket? accepted, out Ipv4EndPoint peer)
        {
            accepted = null;
            peer = default;
            lock (Network.SyncRoot)
            {
                if (_listener == null)
                {
                    return -Errno.EINVAL;
                }

                long deadline = DeadlineAfter(ReceiveTimeout);
                while (true)
                {
                    NetworkResult result = _listener.TryAccept(out TcpConnection? connection);
                    if (result == NetworkResult.Success)
                    {
                        accepted = new StreamSocket(Calls, connection!, _listener.Settings ?? MakeSettings());
                        peer = new Ipv4EndPoint(connection!.RemoteAddress, connection.RemotePort);
                        return 0;
                    }

                    if (result != NetworkResult.WouldBlock)
                    {
                        return -Errno.EINVAL;
                    }

                    if (NonBlocking || IsClosed || !WaitUntil(deadline))
                    {
                        return -Errno.EWOULDBLOCK;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override int Connect(Ipv4EndPoint remote)
        {
            lock (Network.SyncRoot)
            {
                if (_listener != null)
                {
                    return -Errno.EISCONN;
                }

                if (_connection != null)
                {
                    if (_connection.State is TcpState.SynSent or TcpState.SynReceived)
                    {
                        return -Errno.EALREADY;
                    }

                    return _connection.IsConnected ? -Errno.EISCONN : -Errno.EINVAL;
                }

                if (remote.Port == 0 || remote.Address.IsAny)
                {
                    return -Errno.EINVAL;
                }

                TcpSettings settings = MakeSettings();
                NetworkResult started = Network.Stack.Tcp.TryConnect(remote.Address, remote.Port, out TcpConnection? connection, _bound.Port, settings);
                if (started != NetworkResult.Success)
                {
                    return started == NetworkResult.InvalidArgument ? -Errno.EINVAL : SocketErrors.FromResult(started);
                }

                _connection = connection!;
                Calls.ReleaseTcpPort(this);
                _bound = new Ipv4EndPoint(connection!.LocalAddress, connection.LocalPort);
                Network.Kick();
                if (NonBlocking)
                {
                    return -Errno.EINPROGRESS;
                }

                long deadline = DeadlineAfter(SendTimeout);
                while (_connection.State is TcpState.SynSent or TcpState.SynReceived && _connection.Error == NetworkResult.Success)
                {
                    if (!WaitUntil(deadline))
                    {
                        _connection.Abort();
                        _connectReported = true;
                        return -Errno.ETIMEDOUT;
                    }
                }

                _connectReported = true;
                return _connection.IsConnected ? 0 : ConnectFailure();
            }
        }

        /// <inheritdoc/>
        public override int TakeError()
        {
            lock (Network.SyncRoot)
            {
                if (_connection == null || _connectReported)
                {
                    return 0;
                }

                if (_connection.State is TcpState.SynSent or TcpState.SynReceived)
                {
                    return 0;
                }

                _connectReported = true;
                return _connection.IsConnected || _connection.Error == NetworkResult.Success && _connection.State != TcpState.Closed ? 0 : ConnectFailure();
            }
        }

        /// <inheritdoc/>
        public override int Send(ReadOnlySpan<byte> data, Ipv4EndPoint? destination, bool dontWait)
        {
            lock (Network.SyncRoot)
            {
                if (_connection == null)
                {
                    return -Errno.ENOTCONN;
                }

                long deadline = DeadlineAfter(SendTimeout);
                int sent = 0;
                while (true)
                {
                    NetworkResult result = _connection.Send(data.Slice(sent), out int written);
                    sent += written;
                    if (written > 0)
                    {
                        Network.Kick();
                    }

                    if (result is not (NetworkResult.Success or NetworkResult.WouldBlock))
                    {
                        return sent > 0 ? sent : SocketErrors.FromResult(result, sending: true);
                    }

                    // A blocking send takes everything (as Linux's does); a non-blocking one what fits now.
                    if (sent == data.Length || (sent > 0 && (NonBlocking || dontWait)))
                    {
                        return sent;
                    }

                    if (NonBlocking || dontWait || IsClosed || !WaitUntil(deadline))
                    {
                        return sent > 0 ? sent : -Errno.EWOULDBLOCK;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override int Receive(Span<byte> buffer, bool peek, bool dontWait, out Ipv4EndPoint source, out bool truncated)
        {
            truncated = false;
            lock (Network.SyncRoot)
            {
                source = _connection == null ? default : new Ipv4EndPoint(_connection.RemoteAddress, _connection.RemotePort);
                if (_connection == null)
                {
                    return -Errno.ENOTCONN;
                }

                if (peek)
                {
                    return -Errno.ENOTSUP;
                }

                if (_receiveShut)
                {
                    return 0;
                }

                long deadline = DeadlineAfter(ReceiveTimeout);
                while (true)
                {
                    NetworkResult result = _connection.Receive(buffer, out int read);
                    if (result == NetworkResult.Success)
                    {
                        if (read > 0)
                        {
                            // Reading opened the receive window: the window update may be due now.
                            Network.Kick();
                        }

                        return read;
                    }

                    if (result != NetworkResult.WouldBlock)
                    {
                        return result == NetworkResult.NotConnected && !_connection.IsConnected && _connection.Error == NetworkResult.Success
                            ? 0
                            : SocketErrors.FromResult(result);
                    }

                    if (NonBlocking || dontWait || IsClosed || !WaitUntil(deadline))
                    {
                        return -Errno.EWOULDBLOCK;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override int Shutdown(int how)
        {
            if (how is < 0 or > 2)
            {
                return -Errno.EINVAL;
            }

            lock (Network.SyncRoot)
            {
                if (_connection == null || !(_connection.IsConnected || _connection.State is TcpState.FinWait1 or TcpState.FinWait2 or TcpState.Closing or TcpState.LastAck or TcpState.TimeWait))
                {
                    return -Errno.ENOTCONN;
                }

                if (how != 1)
                {
                    _receiveShut = true;
                }

                if (how != 0)
                {
                    _connection.Close();
                    Network.Kick();
                }

                global::System.Threading.Monitor.PulseAll(Network.SyncRoot);
                return 0;
            }
        }

        /// <inheritdoc/>
        public override int Disconnect()
        {
            lock (Network.SyncRoot)
            {
                _connection?.Abort();
                global::System.Threading.Monitor.PulseAll(Network.SyncRoot);
                return 0;
            }
        }

        /// <inheritdoc/>
        public override int GetLocalEndPoint(out Ipv4EndPoint local)
        {
            lock (Network.SyncRoot)
            {
                local = _bound;
                return 0;
            }
        }

        /// <inheritdoc/>
        public override int GetRemoteEndPoint(out Ipv4EndPoint remote)
        {
            lock (Network.SyncRoot)
            {
                if (_connection == null || (_connection.State is TcpState.SynSent or TcpState.SynReceived) || (_connection.State == TcpState.Closed && _connection.Error is NetworkResult.ConnectionRefused or NetworkResult.TimedOut))
                {
                    remote = default;
                    return -Errno.ENOTCONN;
                }

                remote = new Ipv4EndPoint(_connection.RemoteAddress, _connection.RemotePort);
                return 0;
            }
        }

        /// <summary>"tcp 10.0.2.15:80 listening" and the like, for diagnostics.</summary>
        public override string ToString() =>
            _listener != null ? $"tcp {_bound} listening" : _connection != null ? "tcp " + _connection : $"tcp {_bound} unconnected";

        private protected override void CloseCore()
        {
            Calls.ReleaseTcpPort(this);
            if (_listener != null)
            {
                _listener.Close();
            }
            else if (_connection != null)
            {
                if (LingerEnabled && LingerSeconds == 0)
                {
                    _connection.Abort();
                }
                else
                {
                    // Like Linux: the queued data and the FIN still go out after close, in the background.
                    _connection.Close();
                }
            }
        }

        private int ConnectFailure()
        {
            NetworkResult error = _connection!.Error;
            return error == NetworkResult.Success || error == NetworkResult.Closed ? -Errno.ECONNABORTED : SocketErrors.FromResult(error);
        }

        private TcpSettings MakeSettings()
        {
            TcpSettings settings = Network.Stack.Tcp.Settings.Clone();
            settings.ReceiveBufferSize = _receiveBufferSize;
            settings.SendBufferSize = _sendBufferSize;
            settings.NoDelay = _noDelay;
            return settings;
        }
    }
}
