using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>TCP (RFC 9293): listeners, connections, demultiplexing, resets for segments nobody wants, and the per-connection timers.</summary>
    public sealed class TcpService
    {
        private readonly NetworkStack _stack;
        private readonly Dictionary<(uint, ushort, uint, ushort), TcpConnection> _connections = new Dictionary<(uint, ushort, uint, ushort), TcpConnection>();
        private readonly Dictionary<ushort, TcpListener> _listeners = new Dictionary<ushort, TcpListener>();
        private readonly List<TcpConnection> _timerPass = new List<TcpConnection>();
        private readonly byte[] _segment = new byte[ushort.MaxValue];
        private readonly ulong _isnSecret;

        internal TcpService(NetworkStack stack)
        {
            _stack = stack;
            _isnSecret = (ulong)stack.Random.NextInt64();
        }

        /// <summary>The defaults new connections copy.</summary>
        public TcpSettings Settings { get; } = new TcpSettings();

        /// <summary>The TCP counters.</summary>
        public TcpCounters Counters => _stack.Counters.Tcp;

        /// <summary>Live connections (TIME-WAIT included), for netstat.</summary>
        public IEnumerable<TcpConnection> Connections => _connections.Values;

        /// <summary>Listeners, for netstat.</summary>
        public IEnumerable<TcpListener> Listeners => _listeners.Values;

        internal long Now => _stack.Now;

        /// <summary>Listens on <paramref name="localPort"/> of <paramref name="localAddress"/> (0.0.0.0 for all); <see cref="NetworkResult.AddressInUse"/> when already listening there.</summary>
        public NetworkResult TryListen(Ipv4Address localAddress, ushort localPort, int backlog, out TcpListener? listener)
        {
            listener = null;
            if (localPort == 0 || backlog < 1)
            {
                return NetworkResult.InvalidArgument;
            }

            if (_listeners.ContainsKey(localPort))
            {
                return NetworkResult.AddressInUse;
            }

            listener = new TcpListener(this, localAddress, localPort, backlog);
            _listeners.Add(localPort, listener);
            return NetworkResult.Success;
        }

        /// <summary>Listens on <paramref name="localPort"/> of every address; throws <see cref="InvalidOperationException"/> when the port is taken.</summary>
        public TcpListener Listen(ushort localPort, int backlog = 16)
        {
            NetworkResult result = TryListen(default, localPort, backlog, out TcpListener? listener);
            if (result != NetworkResult.Success)
            {
                throw new InvalidOperationException($"tcp: cannot listen on port {localPort}: {result}");
            }

            return listener!;
        }

        /// <summary>
        /// Starts connecting to <paramref name="remoteAddress"/>:<paramref name="remotePort"/> (the SYN goes out now);
        /// the connection becomes <see cref="TcpState.Established"/>, or fails with its <see cref="TcpConnection.Error"/>, in a later Poll.
        /// </summary>
        public NetworkResult TryConnect(Ipv4Address remoteAddress, ushort remotePort, out TcpConnection? connection, ushort localPort = 0, TcpSettings? settings = null)
        {
            connection = null;
            if (remotePort == 0 || remoteAddress.IsAny || remoteAddress.IsBroadcast || remoteAddress.IsMulticast)
            {
                return NetworkResult.InvalidArgument;
            }

            if (!_stack.Ipv4.TrySelectSource(remoteAddress, out Ipv4Address localAddress))
            {
                Counters.Drop(NetworkDropReason.NoRoute);
                return NetworkResult.NoRoute;
            }

            if (localPort == 0)
            {
                if (!TryPickEphemeral(localAddress, remoteAddress, remotePort, out localPort))
                {
                    return NetworkResult.AddressInUse;
                }
            }
            else if (_connections.ContainsKey((localAddress.Value, localPort, remoteAddress.Value, remotePort)))
            {
                return NetworkResult.AddressInUse;
            }

            TcpSettings copy = (settings ?? Settings).Clone();
            copy.Validate();
            connection = new TcpConnection(this, copy, localAddress, localPort, remoteAddress, remotePort, MssTowards(remoteAddress));
            _connections.Add(Key(connection), connection);
            connection.Open(NewInitialSequence(localAddress, localPort, remoteAddress, remotePort));
            return NetworkResult.Success;
        }

        /// <summary>Like <see cref="TryConnect"/>; throws <see cref="InvalidOperationException"/> when the SYN cannot even be sent.</summary>
        public TcpConnection Connect(Ipv4Address remoteAddress, ushort remotePort)
        {
            NetworkResult result = TryConnect(remoteAddress, remotePort, out TcpConnection? connection);
            if (result != NetworkResult.Success)
            {
                throw new InvalidOperationException($"tcp: cannot connect to {remoteAddress}:{remotePort}: {result}");
            }

            return connection!;
        }

        internal void ArmTimer(long deadline) => _stack.ArmTimer(deadline);

        internal void Receive(in Ipv4Datagram datagram, ReadOnlySpan<byte> payload)
        {
            if (datagram.IsBroadcast || datagram.Destination.IsMulticast)
            {
                Counters.Drop(NetworkDropReason.NotForUs);
                return;
            }

            if (!TcpHeader.TryRead(payload, datagram.Source, datagram.Destination, out TcpHeader header, out NetworkDropReason reason))
            {
                Counters.Drop(reason);
                return;
            }

            Counters.CountIn(payload.Length);
            ReadOnlySpan<byte> data = payload.Slice(header.HeaderLength);
            if (_connections.TryGetValue((datagram.Destination.Value, header.DestinationPort, datagram.Source.Value, header.SourcePort), out TcpConnection? connection))
            {
                connection.OnSegment(header, data);
                return;
            }

            if (_listeners.TryGetValue(header.DestinationPort, out TcpListener? listener)
                && (listener.LocalAddress.IsAny || listener.LocalAddress == datagram.Destination))
            {
                OnListenerSegment(listener, datagram, header, data.Length);
                return;
            }

            Counters.Drop(NetworkDropReason.NoSocket);
            ResetUnwanted(datagram, header, data.Length);
        }

        internal long RunTimers(long now)
        {
            long next = long.MaxValue;
            _timerPass.Clear();
            _timerPass.AddRange(_connections.Values);
            foreach (TcpConnection connection in _timerPass)
            {
                if (connection.State != TcpState.Closed)
                {
                    next = Math.Min(next, connection.RunTimers(now));
                }
            }

            _timerPass.Clear();
            return next;
        }

        /// <summary>Builds and sends one segment of <paramref name="connection"/>, its text taken from <paramref name="data"/> at <paramref name="offset"/>.</summary>
        internal void Transmit(TcpConnection connection, in TcpHeader header, TcpByteRing? data, int offset, int length)
        {
            Span<byte> segment = _segment.AsSpan(0, header.HeaderLength + length);
            header.Write(segment);
            if (length > 0)
            {
                data!.Peek(offset, segment.Slice(header.HeaderLength));
            }

            TcpHeader.WriteChecksum(segment, connection.LocalAddress, connection.RemoteAddress);
            if (_stack.Ipv4.Send(connection.LocalAddress, connection.RemoteAddress, IpProtocol.Tcp, segment) == NetworkResult.Success)
            {
                Counters.CountOut(segment.Length);
            }
        }

        /// <summary>&lt;SEQ=<paramref name="sequence"/>&gt;&lt;CTL=RST&gt; on a connection (abort, timeout).</summary>
        internal void SendReset(TcpConnection connection, uint sequence) =>
            SendReset(connection.LocalAddress, connection.LocalPort, connection.RemoteAddress, connection.RemotePort, sequence, 0, withAck: false);

        internal void SendReset(Ipv4Address source, ushort sourcePort, Ipv4Address destination, ushort destinationPort, uint sequence, uint acknowledgment, bool withAck)
        {
            var header = new TcpHeader(sourcePort, destinationPort, sequence, withAck ? acknowledgment : 0,
                withAck ? TcpFlags.Rst | TcpFlags.Ack : TcpFlags.Rst, 0);
            Span<byte> segment = _segment.AsSpan(0, header.HeaderLength);
            header.Write(segment);
            TcpHeader.WriteChecksum(segment, source, destination);
            if (_stack.Ipv4.Send(source, destination, IpProtocol.Tcp, segment) == NetworkResult.Success)
            {
                Counters.CountOut(segment.Length);
                Counters.ResetsSent++;
            }
        }

        internal void Remove(TcpConnection connection)
        {
            if (_connections.TryGetValue(Key(connection), out TcpConnection? stored) && stored == connection)
            {
                _connections.Remove(Key(connection));
            }

            connection.Listener?.OnHandshakeFailed(connection);
        }

        internal void Unlisten(TcpListener listener)
        {
            if (_listeners.TryGetValue(listener.LocalPort, out TcpListener? stored) && stored == listener)
            {
                _listeners.Remove(listener.LocalPort);
            }
        }

        /// <summary>LISTEN (RFC 9293 §3.10.7.2): RSTs are ignored, ACKs reset, SYNs start a handshake if the backlog has room.</summary>
        private void OnListenerSegment(TcpListener listener, in Ipv4Datagram datagram, in TcpHeader header, int dataLength)
        {
            if (header.Has(TcpFlags.Rst))
            {
                return;
            }

            if (header.Has(TcpFlags.Ack))
            {
                SendReset(datagram.Destination, header.DestinationPort, datagram.Source, header.SourcePort, header.AcknowledgmentNumber, 0, withAck: false);
                return;
            }

            if (!header.Has(TcpFlags.Syn))
            {
                Counters.Drop(NetworkDropReason.Unacceptable);
                return;
            }

            if (!listener.HasRoom)
            {
                // Silently: the peer retries its SYN, by when accept may have made room.
                listener.Overflows++;
                Counters.Drop(NetworkDropReason.QueueFull);
                return;
            }

            TcpSettings settings = (listener.Settings ?? Settings).Clone();
            settings.Validate();
            var connection = new TcpConnection(this, settings, datagram.Destination, header.DestinationPort, datagram.Source, header.SourcePort,
                MssTowards(datagram.Source));
            _connections.Add(Key(connection), connection);
            listener.OnHandshakeStarted(connection);
            connection.Accept(header, NewInitialSequence(datagram.Destination, header.DestinationPort, datagram.Source, header.SourcePort));
        }

        /// <summary>A segment for no connection and no listener (RFC 9293 §3.10.7.1).</summary>
        private void ResetUnwanted(in Ipv4Datagram datagram, in TcpHeader header, int dataLength)
        {
            if (header.Has(TcpFlags.Rst))
            {
                return;
            }

            if (header.Has(TcpFlags.Ack))
            {
                SendReset(datagram.Destination, header.DestinationPort, datagram.Source, header.SourcePort, header.AcknowledgmentNumber, 0, withAck: false);
            }
            else
            {
                uint length = (uint)dataLength + (header.Has(TcpFlags.Syn) ? 1u : 0u) + (header.Has(TcpFlags.Fin) ? 1u : 0u);
                SendReset(datagram.Destination, header.DestinationPort, datagram.Source, header.SourcePort, 0,
                    header.SequenceNumber + length, withAck: true);
            }
        }

        /// <summary>The MSS to advertise: the outgoing interface's MTU less the IPv4 and TCP headers (RFC 9293 §3.7.1).</summary>
        private int MssTowards(Ipv4Address remote)
        {
            const int headers = Ipv4Header.MinimumLength + TcpHeader.MinimumLength;
            if (remote.IsLoopback)
            {
                return 16384 - headers;
            }

            NetworkInterface? local = _stack.FindInterfaceByAddress(remote);
            if (local != null)
            {
                return local.Mtu - headers;
            }

            return _stack.Routes.TryLookup(remote, out Route? route, out _) ? route!.Interface.Mtu - headers : 536;
        }

        /// <summary>RFC 6528: a 4 µs clock plus a keyed function of the connection's addresses and ports.</summary>
        private uint NewInitialSequence(Ipv4Address localAddress, ushort localPort, Ipv4Address remoteAddress, ushort remotePort)
        {
            // A keyed mix (not a cryptographic PRF): unpredictable to an off-path guesser without the random key.
            ulong x = _isnSecret ^ ((ulong)localAddress.Value << 32 | remoteAddress.Value);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x ^= ((ulong)localPort << 16 | remotePort) * 0x94D049BB133111EBUL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (uint)x + (uint)(_stack.Now * 250);
        }

        private bool TryPickEphemeral(Ipv4Address localAddress, Ipv4Address remoteAddress, ushort remotePort, out ushort port)
        {
            const int range = 65536 - UdpService.FirstEphemeralPort;
            int start = _stack.Random.Next(range);
            for (int i = 0; i < range; i++)
            {
                port = (ushort)(UdpService.FirstEphemeralPort + (start + i) % range);
                if (!_listeners.ContainsKey(port) && !_connections.ContainsKey((localAddress.Value, port, remoteAddress.Value, remotePort)))
                {
                    return true;
                }
            }

            port = 0;
            return false;
        }

        private static (uint, ushort, uint, ushort) Key(TcpConnection connection) =>
            (connection.LocalAddress.Value, connection.LocalPort, connection.RemoteAddress.Value, connection.RemotePort);
    }
}
