using System;
using Cosmos.Core.Pal;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A UDP socket over a <see cref="UdpSocket"/> of the stack, bound on bind, on connect or on the first send (to an
    /// ephemeral port, as Linux does). Connect only sets the default destination and filters what arrives.
    /// </summary>
    public sealed class DatagramSocket : KernelSocket
    {
        private UdpSocket? _udp;
        private Ipv4EndPoint _connected;
        private bool _broadcast;
        private int _receiveBufferSize = 256 * 1024;

        internal DatagramSocket(SocketCalls calls)
            : base(calls)
        {
        }

        /// <inheritdoc/>
        public override int SocketType => 2;

        /// <inheritdoc/>
        public override int Protocol => 17;

        /// <inheritdoc/>
        public override int BytesAvailable => _udp == null ? 0 : Math.Max(0, _udp.NextDatagramLength);

        /// <inheritdoc/>
        public override bool Broadcast
        {
            get => _broadcast;
            set
            {
                lock (Network.SyncRoot)
                {
                    _broadcast = value;
                    if (_udp != null)
                    {
                        _udp.AllowBroadcast = value;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override int ReceiveBufferSize
        {
            get => _receiveBufferSize;
            set
            {
                lock (Network.SyncRoot)
                {
                    _receiveBufferSize = Math.Clamp(value, 4096, 4 << 20);
                    if (_udp != null)
                    {
                        _udp.ReceiveBufferSize = _receiveBufferSize;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override int SendBufferSize { get; set; } = UdpService.MaximumDatagram;

        /// <inheritdoc/>
        public override SocketEvents Readiness =>
            _udp != null && _udp.PendingDatagrams > 0 ? SocketEvents.Read | SocketEvents.Write : SocketEvents.Write;

        internal override long EventSignature => (long)Readiness | ((_udp?.Arrivals ?? 0) << 8);

        /// <inheritdoc/>
        public override int Bind(Ipv4EndPoint local)
        {
            lock (Network.SyncRoot)
            {
                if (_udp != null)
                {
                    return -Errno.EINVAL;
                }

                if (!local.Address.IsAny && !local.Address.IsLoopback && Calls.FindInterface(local.Address) == null)
                {
                    return -Errno.EADDRNOTAVAIL;
                }

                return Open(local);
            }
        }

        /// <inheritdoc/>
        public override int Connect(Ipv4EndPoint remote)
        {
            lock (Network.SyncRoot)
            {
                if (_udp == null)
                {
                    int opened = Open(default);
                    if (opened < 0)
                    {
                        return opened;
                    }
                }

                _connected = remote;
                _udp!.Connect(remote.Address, remote.Port);
                return 0;
            }
        }

        /// <inheritdoc/>
        public override int Send(ReadOnlySpan<byte> data, Ipv4EndPoint? destination, bool dontWait)
        {
            lock (Network.SyncRoot)
            {
                Ipv4EndPoint target = destination ?? _connected;
                if (target.Port == 0)
                {
                    return destination == null ? -Errno.EDESTADDRREQ : -Errno.EINVAL;
                }

                if (_udp == null)
                {
                    int opened = Open(default);
                    if (opened < 0)
                    {
                        return opened;
                    }
                }

                NetworkResult result = _udp!.SendTo(data, target.Address, target.Port);
                Network.Kick();
                if (result == NetworkResult.InvalidArgument && target.Address.IsBroadcast)
                {
                    return -Errno.EACCES;
                }

                return result == NetworkResult.Success ? data.Length : SocketErrors.FromResult(result, sending: true);
            }
        }

        /// <inheritdoc/>
        public override int Receive(Span<byte> buffer, bool peek, bool dontWait, out Ipv4EndPoint source, out bool truncated)
        {
            source = default;
            truncated = false;
            lock (Network.SyncRoot)
            {
                if (peek)
                {
                    return -Errno.ENOTSUP;
                }

                long deadline = DeadlineAfter(ReceiveTimeout);
                while (true)
                {
                    if (_udp != null)
                    {
                        NetworkResult result = _udp.ReceiveFrom(buffer, out int length, out Ipv4Address address, out ushort port);
                        if (result is NetworkResult.Success or NetworkResult.MessageTooLarge)
                        {
                            source = new Ipv4EndPoint(address, port);
                            truncated = result == NetworkResult.MessageTooLarge;
                            return length;
                        }
                    }

                    if (NonBlocking || dontWait || IsClosed || !WaitUntil(deadline))
                    {
                        return -Errno.EWOULDBLOCK;
                    }
                }
            }
        }

        /// <inheritdoc/>
        public override int Shutdown(int how) => how is < 0 or > 2 ? -Errno.EINVAL : _connected.Port == 0 ? -Errno.ENOTCONN : 0;

        /// <inheritdoc/>
        public override int GetLocalEndPoint(out Ipv4EndPoint local)
        {
            lock (Network.SyncRoot)
            {
                local = _udp == null ? default : new Ipv4EndPoint(_udp.LocalAddress, _udp.LocalPort);
                return 0;
            }
        }

        /// <inheritdoc/>
        public override int GetRemoteEndPoint(out Ipv4EndPoint remote)
        {
            remote = _connected;
            return _connected.Port == 0 ? -Errno.ENOTCONN : 0;
        }

        /// <summary>"udp 0.0.0.0:7001".</summary>
        public override string ToString() => _udp == null ? "udp unbound" : $"udp {_udp.LocalAddress}:{_udp.LocalPort}";

        private protected override void CloseCore() => _udp?.Close();

        private int Open(Ipv4EndPoint local)
        {
            NetworkResult result = Network.Stack.Udp.TryOpen(local.Address, local.Port, out UdpSocket? udp);
            if (result != NetworkResult.Success)
            {
                return SocketErrors.FromResult(result);
            }

            _udp = udp!;
            _udp.AllowBroadcast = _broadcast;
            _udp.ReceiveBufferSize = _receiveBufferSize;
            return 0;
        }
    }
}
