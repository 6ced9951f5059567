using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// IPv4 for a host (RFC 791, RFC 1122 §3): checks and reassembles what arrives and hands it to ICMP, UDP or TCP;
    /// routes, numbers and fragments what leaves. Packets to our own addresses loop back through a queue drained by Poll.
    /// </summary>
    internal sealed class Ipv4Layer
    {
        private readonly NetworkStack _stack;
        private readonly ProtocolCounters _counters;
        private readonly byte[] _packet = new byte[ushort.MaxValue];
        private readonly Queue<byte[]> _loopback = new Queue<byte[]>();
        private ushort _nextIdentification;

        public Ipv4Layer(NetworkStack stack)
        {
            _stack = stack;
            _counters = stack.Counters.Ipv4;
            Reassembler = new Ipv4Reassembler(_counters);
            _nextIdentification = (ushort)stack.Random.Next();
        }

        public Ipv4Reassembler Reassembler { get; }

        /// <summary>Loopback packets queued this long are drained by the next Poll (at most this many are held).</summary>
        public const int LoopbackQueueLimit = 256;

        public bool HasLoopbackWork => _loopback.Count > 0;

        /// <summary>Chooses the source address for talking to <paramref name="destination"/>.</summary>
        public bool TrySelectSource(Ipv4Address destination, out Ipv4Address source)
        {
            source = default;
            if (destination.IsLoopback)
            {
                source = new Ipv4Address(127, 0, 0, 1);
                return true;
            }

            NetworkInterface? local = _stack.FindInterfaceByAddress(destination);
            if (local != null)
            {
                source = destination;
                return true;
            }

            if (!_stack.Routes.TryLookup(destination, out Route? route, out _))
            {
                return false;
            }

            source = route!.Interface.Address;
            return true;
        }

        /// <summary>
        /// Sends one datagram. <paramref name="via"/> forces the interface (DHCP before the interface has an address);
        /// otherwise the routing table decides. A zero <paramref name="source"/> means the outgoing interface's address.
        /// </summary>
        public NetworkResult Send(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> payload,
            byte timeToLive = 64, bool dontFragment = false, NetworkInterface? via = null)
        {
            if (payload.Length > Ipv4ReassemblyBuffer.MaximumPayload)
            {
                return NetworkResult.MessageTooLarge;
            }

            int length = Ipv4Header.MinimumLength + payload.Length;
            bool local = destination.IsLoopback || _stack.FindInterfaceByAddress(destination) != null;
            NetworkInterface? outgoing = via;
            Ipv4Address nextHop = destination;
            bool broadcast = false;
            if (local)
            {
                if (source.IsAny)
                {
                    source = destination.IsLoopback ? new Ipv4Address(127, 0, 0, 1) : destination;
                }
            }
            else if (destination.IsBroadcast || (outgoing != null && outgoing.IsConfigured && destination == outgoing.BroadcastAddress))
            {
                outgoing ??= _stack.FirstUpInterface();
                broadcast = true;
            }
            else if (outgoing == null)
            {
                if (!_stack.Routes.TryLookup(destination, out Route? route, out nextHop))
                {
                    _counters.Drop(NetworkDropReason.NoRoute);
                    return NetworkResult.NoRoute;
                }

                outgoing = route!.Interface;
                broadcast = outgoing.IsConfigured && destination == outgoing.BroadcastAddress;
            }

            if (!local && (outgoing == null || !outgoing.Device.IsLinkUp))
            {
                _counters.Drop(NetworkDropReason.TransmitFailed);
                return NetworkResult.NetworkDown;
            }

            if (!local && source.IsAny)
            {
                source = outgoing!.Address;
            }

            var header = new Ipv4Header(source, destination, protocol, length, _nextIdentification++, timeToLive, dontFragment);
            Span<byte> packet = _packet.AsSpan(0, length);
            header.Write(packet);
            payload.CopyTo(packet.Slice(Ipv4Header.MinimumLength));
            _counters.CountOut(length);
            if (local)
            {
                if (_loopback.Count >= LoopbackQueueLimit)
                {
                    _counters.Drop(NetworkDropReason.QueueFull);
                    return NetworkResult.Success;
                }

                _loopback.Enqueue(packet.ToArray());
                _stack.ArmTimer(_stack.Now);
                return NetworkResult.Success;
            }

            if (broadcast)
            {
                outgoing!.TransmitIpv4To(MacAddress.Broadcast, packet);
            }
            else
            {
                outgoing!.Arp.Transmit(nextHop, packet);
            }

            return NetworkResult.Success;
        }

        /// <summary>Delivers the packets sent to ourselves since the last call.</summary>
        public void DrainLoopback()
        {
            int count = _loopback.Count;
            for (int i = 0; i < count; i++)
            {
                byte[] packet = _loopback.Dequeue();
                Receive(null, packet, linkBroadcast: false);
            }
        }

        /// <summary>Handles a packet from <paramref name="arrivedOn"/> (null for loopback).</summary>
        public void Receive(NetworkInterface? arrivedOn, ReadOnlySpan<byte> packet, bool linkBroadcast)
        {
            if (!Ipv4Header.TryRead(packet, out Ipv4Header header, out NetworkDropReason reason))
            {
                _counters.Drop(reason);
                return;
            }

            packet = packet.Slice(0, header.TotalLength);
            if (header.Source.IsBroadcast || header.Source.IsMulticast
                || (arrivedOn != null && (header.Source.IsLoopback || _stack.FindInterfaceByAddress(header.Source) != null)))
            {
                _counters.Drop(NetworkDropReason.BadSourceAddress);
                return;
            }

            bool broadcast = linkBroadcast || header.Destination.IsBroadcast
                || (arrivedOn != null && arrivedOn.IsConfigured && header.Destination == arrivedOn.BroadcastAddress);
            if (!broadcast && !IsOurs(arrivedOn, header.Destination))
            {
                _counters.Drop(NetworkDropReason.NotForUs);
                return;
            }

            _counters.CountIn(header.TotalLength);
            ReadOnlySpan<byte> headerBytes = packet.Slice(0, header.HeaderLength);
            ReadOnlySpan<byte> payload = packet.Slice(header.HeaderLength);
            if (header.IsFragment)
            {
                byte[]? whole = Reassembler.Add(header, payload, _stack.Now);
                if (whole == null)
                {
                    return;
                }

                payload = whole;
            }

            var datagram = new Ipv4Datagram(arrivedOn, header, headerBytes, broadcast);
            switch (header.Protocol)
            {
                case IpProtocol.Icmp:
                    _stack.Icmp.Receive(datagram, payload);
                    break;
                case IpProtocol.Udp:
                    _stack.Udp.Receive(datagram, payload);
                    break;
                case IpProtocol.Tcp:
                    _stack.Tcp.Receive(datagram, payload);
                    break;
                default:
                    _counters.Drop(NetworkDropReason.UnknownProtocol);
                    if (!broadcast)
                    {
                        // RFC 1122 §3.2.2.1: protocol unreachable.
                        _stack.Icmp.SendError(IcmpMessage.TypeDestinationUnreachable, 2, datagram, payload);
                    }

                    break;
            }
        }

        public long RunTimers(long now) => Reassembler.RunTimers(now);

        private bool IsOurs(NetworkInterface? arrivedOn, Ipv4Address destination)
        {
            if (arrivedOn == null)
            {
                return true;
            }

            // Before DHCP finishes the interface has no address, and a server may unicast its offer to the address it offers.
            if (!arrivedOn.IsConfigured || destination == arrivedOn.Address)
            {
                return true;
            }

            // The weak host model (RFC 1122 §3.3.4.2): any of our addresses on any interface.
            return _stack.FindInterfaceByAddress(destination) != null;
        }
    }
}
