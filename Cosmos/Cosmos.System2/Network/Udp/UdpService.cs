using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>UDP (RFC 768): checksums, ports, sockets; datagrams to port 68 go to the interface's DHCP client.</summary>
    public sealed class UdpService
    {
        /// <summary>The first port handed out by an ephemeral bind (RFC 6335 §6: 49152..65535).</summary>
        public const ushort FirstEphemeralPort = 49152;

        /// <summary>The most data one datagram carries (65535 less the IPv4 and UDP headers).</summary>
        public const int MaximumDatagram = Ipv4ReassemblyBuffer.MaximumPayload - UdpHeader.Length;

        private readonly NetworkStack _stack;
        private readonly ProtocolCounters _counters;
        private readonly Dictionary<ushort, UdpSocket> _sockets = new Dictionary<ushort, UdpSocket>();
        private readonly byte[] _datagram = new byte[UdpHeader.Length + MaximumDatagram];
        private ushort _nextEphemeral;

        internal UdpService(NetworkStack stack)
        {
            _stack = stack;
            _counters = stack.Counters.Udp;
            _nextEphemeral = (ushort)stack.Random.Next(FirstEphemeralPort, 65536);
        }

        /// <summary>The open sockets, for netstat.</summary>
        public IEnumerable<UdpSocket> Sockets => _sockets.Values;

        /// <summary>Binds a socket to <paramref name="localPort"/> (0 picks a free ephemeral port) on any local address.</summary>
        public NetworkResult TryOpen(ushort localPort, out UdpSocket? socket) => TryOpen(default, localPort, out socket);

        /// <summary>Binds a socket to <paramref name="localAddress"/>:<paramref name="localPort"/>; <see cref="NetworkResult.AddressInUse"/> when the port is taken.</summary>
        public NetworkResult TryOpen(Ipv4Address localAddress, ushort localPort, out UdpSocket? socket)
        {
            socket = null;
            if (localPort == 0)
            {
                if (!TryPickEphemeral(out localPort))
                {
                    return NetworkResult.AddressInUse;
                }
            }
            else if (_sockets.ContainsKey(localPort))
            {
                return NetworkResult.AddressInUse;
            }

            socket = new UdpSocket(this, localAddress, localPort);
            _sockets.Add(localPort, socket);
            return NetworkResult.Success;
        }

        /// <summary>Binds a socket on any address; throws <see cref="InvalidOperationException"/> when the port is taken.</summary>
        public UdpSocket Open(ushort localPort = 0)
        {
            NetworkResult result = TryOpen(default, localPort, out UdpSocket? socket);
            if (result != NetworkResult.Success)
            {
                throw new InvalidOperationException($"udp: cannot bind port {localPort}: {result}");
            }

            return socket!;
        }

        internal void Unbind(UdpSocket socket)
        {
            if (_sockets.TryGetValue(socket.LocalPort, out UdpSocket? bound) && bound == socket)
            {
                _sockets.Remove(socket.LocalPort);
            }
        }

        internal bool IsPortInUse(ushort port) => _sockets.ContainsKey(port);

        /// <summary>Sends one datagram; <paramref name="via"/> forces the interface (DHCP).</summary>
        internal NetworkResult Send(Ipv4Address source, ushort sourcePort, Ipv4Address destination, ushort destinationPort,
            ReadOnlySpan<byte> data, byte timeToLive, NetworkInterface? via)
        {
            if (data.Length > MaximumDatagram)
            {
                return NetworkResult.MessageTooLarge;
            }

            if (source.IsAny && via == null)
            {
                // The checksum covers the source address, so choose it now as IP would.
                if (!_stack.Ipv4.TrySelectSource(destination, out source) && !destination.IsBroadcast)
                {
                    _counters.Drop(NetworkDropReason.NoRoute);
                    return NetworkResult.NoRoute;
                }

                if (source.IsAny && destination.IsBroadcast)
                {
                    source = _stack.FirstUpInterface()?.Address ?? default;
                }
            }

            int length = UdpHeader.Length + data.Length;
            Span<byte> datagram = _datagram.AsSpan(0, length);
            data.CopyTo(datagram.Slice(UdpHeader.Length));
            new UdpHeader(sourcePort, destinationPort, length).Write(datagram, source, destination);
            NetworkResult result = _stack.Ipv4.Send(source, destination, IpProtocol.Udp, datagram, timeToLive, via: via);
            if (result == NetworkResult.Success)
            {
                _counters.CountOut(length);
            }

            return result;
        }

        internal void Receive(in Ipv4Datagram datagram, ReadOnlySpan<byte> payload)
        {
            if (!UdpHeader.TryRead(payload, datagram.Source, datagram.Destination, out UdpHeader header, out NetworkDropReason reason))
            {
                _counters.Drop(reason);
                return;
            }

            if (header.SourcePort == 0 && header.DestinationPort == 0)
            {
                _counters.Drop(NetworkDropReason.BadHeader);
                return;
            }

            _counters.CountIn(header.TotalLength);
            ReadOnlySpan<byte> data = payload.Slice(UdpHeader.Length, header.TotalLength - UdpHeader.Length);
            if (header.DestinationPort == DhcpMessage.ClientPort && datagram.ArrivedOn?.Dhcp != null)
            {
                datagram.ArrivedOn.Dhcp.Receive(data);
                return;
            }

            if (!_sockets.TryGetValue(header.DestinationPort, out UdpSocket? socket)
                || !socket.Accepts(datagram.Source, header.SourcePort, datagram.Destination, datagram.IsBroadcast))
            {
                _counters.Drop(NetworkDropReason.NoSocket);
                _stack.Icmp.SendError(IcmpMessage.TypeDestinationUnreachable, IcmpMessage.CodePortUnreachable, datagram, payload);
                return;
            }

            if (!socket.Enqueue(datagram.Source, header.SourcePort, data))
            {
                _counters.Drop(NetworkDropReason.QueueFull);
            }
        }

        private bool TryPickEphemeral(out ushort port)
        {
            const int range = 65536 - FirstEphemeralPort;
            for (int i = 0; i < range; i++)
            {
                port = _nextEphemeral;
                _nextEphemeral = _nextEphemeral == ushort.MaxValue ? FirstEphemeralPort : (ushort)(_nextEphemeral + 1);
                if (!_sockets.ContainsKey(port))
                {
                    return true;
                }
            }

            port = 0;
            return false;
        }
    }
}
