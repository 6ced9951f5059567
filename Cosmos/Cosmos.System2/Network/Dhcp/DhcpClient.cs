using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// The DHCP client of one interface (RFC 2131 §4.4): DISCOVER, OFFER, REQUEST, ACK; renewal at T1 by unicast to
    /// the leasing server, rebinding at T2 by broadcast, and back to discovery when the lease runs out or a NAK
    /// arrives. A bound lease configures the interface (address, mask, router, DNS servers).
    /// </summary>
    public sealed class DhcpClient
    {
        private static readonly byte[] RequestedParameters = { 1, 3, 6, 15, 51, 58, 59 };

        private readonly NetworkInterface _interface;
        private readonly ProtocolCounters _counters;
        private readonly byte[] _buffer = new byte[576];
        private readonly List<Ipv4Address> _dnsServers = new List<Ipv4Address>();
        private uint _transactionId;
        private long _startedAt;
        private long _retransmitAt = long.MaxValue;
        private int _attempts;
        private Ipv4Address _offeredAddress;

        internal DhcpClient(NetworkInterface networkInterface)
        {
            _interface = networkInterface;
            _counters = networkInterface.Stack.Counters.Dhcp;
        }

        /// <summary>Where the client stands.</summary>
        public DhcpState State { get; private set; }

        /// <summary>The leased address (0.0.0.0 without a lease).</summary>
        public Ipv4Address LeasedAddress { get; private set; }

        /// <summary>The leased subnet mask.</summary>
        public Ipv4Address SubnetMask { get; private set; }

        /// <summary>The first router offered.</summary>
        public Ipv4Address Router { get; private set; }

        /// <summary>The DNS servers offered.</summary>
        public IReadOnlyList<Ipv4Address> DnsServers => _dnsServers;

        /// <summary>The leasing server (option 54).</summary>
        public Ipv4Address ServerIdentifier { get; private set; }

        /// <summary>The lease's length in seconds.</summary>
        public uint LeaseSeconds { get; private set; }

        /// <summary>When the lease was granted (clock milliseconds).</summary>
        public long LeaseStart { get; private set; }

        /// <summary>T1: when renewal starts.</summary>
        public long RenewAt { get; private set; } = long.MaxValue;

        /// <summary>T2: when rebinding starts.</summary>
        public long RebindAt { get; private set; } = long.MaxValue;

        /// <summary>When the lease ends.</summary>
        public long ExpiresAt { get; private set; } = long.MaxValue;

        /// <summary>Leases granted or extended since the client started.</summary>
        public int LeasesObtained { get; private set; }

        /// <summary>The host name sent in option 12, or null.</summary>
        public string? HostName { get; set; }

        /// <summary>Starts discovery, dropping any address the interface holds.</summary>
        public void Start()
        {
            if (_interface.IsConfigured)
            {
                _interface.Deconfigure();
            }

            ClearLease();
            _startedAt = _interface.Stack.Now;
            EnterState(DhcpState.Selecting);
            Transmit();
        }

        /// <summary>
        /// Back to discovery after a NAK or an expired lease, waiting 1 to 10 s first (RFC 2131 §4.1) so a server
        /// that keeps refusing does not get a tight loop of requests.
        /// </summary>
        private void Restart()
        {
            if (_interface.IsConfigured)
            {
                _interface.Deconfigure();
            }

            ClearLease();
            long now = _interface.Stack.Now;
            _startedAt = now;
            EnterState(DhcpState.Selecting);
            _retransmitAt = now + _interface.Stack.Random.Next(1_000, 10_001);
            _interface.Stack.ArmTimer(_retransmitAt);
        }

        /// <summary>Gives the lease back (DHCPRELEASE), removes the address and stops.</summary>
        public void Release()
        {
            if (State is DhcpState.Bound or DhcpState.Renewing or DhcpState.Rebinding)
            {
                DhcpMessage release = NewMessage(DhcpMessageType.Release);
                release.ClientAddress = LeasedAddress;
                release.ServerIdentifier = ServerIdentifier;
                Send(release, ServerIdentifier, via: null);
                _interface.Deconfigure();
            }

            ClearLease();
            State = DhcpState.Stopped;
            _retransmitAt = long.MaxValue;
        }

        internal void Receive(ReadOnlySpan<byte> data)
        {
            if (!DhcpMessage.TryParse(data, out DhcpMessage? message, out NetworkDropReason reason))
            {
                _counters.Drop(reason);
                return;
            }

            if (message!.Operation != 2 || message.TransactionId != _transactionId || message.ClientHardwareAddress != _interface.MacAddress)
            {
                _counters.Drop(NetworkDropReason.Unsolicited);
                return;
            }

            _counters.CountIn(data.Length);
            switch (message.MessageType)
            {
                case DhcpMessageType.Offer when State == DhcpState.Selecting:
                    if (message.YourAddress.IsAny || message.ServerIdentifier.IsAny)
                    {
                        _counters.Drop(NetworkDropReason.BadHeader);
                        return;
                    }

                    // The first acceptable offer wins (RFC 2131 §4.4.1 lets the client choose).
                    _offeredAddress = message.YourAddress;
                    ServerIdentifier = message.ServerIdentifier;
                    EnterState(DhcpState.Requesting);
                    Transmit();
                    break;
                case DhcpMessageType.Ack when State is DhcpState.Requesting or DhcpState.Renewing or DhcpState.Rebinding:
                    Bind(message);
                    break;
                case DhcpMessageType.Nak when State is DhcpState.Requesting or DhcpState.Renewing or DhcpState.Rebinding:
                    _interface.Stack.Log($"[dhcp] {_interface.Name}: NAK from {message.ServerIdentifier}, starting over");
                    Restart();
                    break;
                default:
                    _counters.Drop(NetworkDropReason.Unsolicited);
                    break;
            }
        }

        internal long RunTimers(long now)
        {
            if (State is DhcpState.Bound or DhcpState.Renewing or DhcpState.Rebinding)
            {
                if (now >= ExpiresAt)
                {
                    _interface.Stack.Log($"[dhcp] {_interface.Name}: lease on {LeasedAddress} expired");
                    Restart();
                }
                else if (now >= RebindAt && State != DhcpState.Rebinding)
                {
                    EnterState(DhcpState.Rebinding);
                    Transmit();
                }
                else if (now >= RenewAt && State == DhcpState.Bound)
                {
                    EnterState(DhcpState.Renewing);
                    Transmit();
                }
            }

            if (now >= _retransmitAt)
            {
                Transmit();
            }

            long next = _retransmitAt;
            if (State == DhcpState.Bound)
            {
                next = Math.Min(next, RenewAt);
            }

            if (State is DhcpState.Bound or DhcpState.Renewing)
            {
                next = Math.Min(next, RebindAt);
            }

            if (State is DhcpState.Bound or DhcpState.Renewing or DhcpState.Rebinding)
            {
                next = Math.Min(next, ExpiresAt);
            }

            return next;
        }

        private void EnterState(DhcpState state)
        {
            State = state;
            _attempts = 0;
            if (state is DhcpState.Selecting or DhcpState.Renewing or DhcpState.Rebinding)
            {
                _transactionId = (uint)_interface.Stack.Random.NextInt64(0, 1L << 32);
            }
        }

        /// <summary>Sends (or resends) the message of the current state and schedules the next retransmission.</summary>
        private void Transmit()
        {
            long now = _interface.Stack.Now;
            DhcpMessage message;
            Ipv4Address destination = Ipv4Address.Broadcast;
            NetworkInterface? via = _interface;
            switch (State)
            {
                case DhcpState.Selecting:
                    message = NewMessage(DhcpMessageType.Discover);
                    break;
                case DhcpState.Requesting:
                    if (_attempts >= 4)
                    {
                        Restart();
                        return;
                    }

                    message = NewMessage(DhcpMessageType.Request);
                    message.RequestedAddress = _offeredAddress;
                    message.ServerIdentifier = ServerIdentifier;
                    break;
                case DhcpState.Renewing:
                case DhcpState.Rebinding:
                    // RFC 2131 §4.3.2: ciaddr filled, no server identifier nor requested address.
                    message = NewMessage(DhcpMessageType.Request);
                    message.ClientAddress = LeasedAddress;
                    message.Flags = 0;
                    if (State == DhcpState.Renewing)
                    {
                        destination = ServerIdentifier;
                        via = null;
                    }

                    break;
                default:
                    _retransmitAt = long.MaxValue;
                    return;
            }

            Send(message, destination, via);
            _attempts++;
            _retransmitAt = now + RetransmitDelay(now);
            _interface.Stack.ArmTimer(_retransmitAt);
        }

        /// <summary>RFC 2131 §4.1 (4, 8, 16, 32, 64 s, each ±1 s) and §4.4.5 (half the time left, at least 60 s).</summary>
        private long RetransmitDelay(long now)
        {
            if (State is DhcpState.Renewing or DhcpState.Rebinding)
            {
                long limit = State == DhcpState.Renewing ? RebindAt : ExpiresAt;
                return Math.Max(60_000, (limit - now) / 2);
            }

            long delay = 4_000L << Math.Min(_attempts - 1, 4);
            return delay + _interface.Stack.Random.Next(-1000, 1001);
        }

        private void Bind(DhcpMessage ack)
        {
            if (ack.YourAddress.IsAny || ack.YourAddress.IsBroadcast || ack.YourAddress.IsMulticast)
            {
                _counters.Drop(NetworkDropReason.BadHeader);
                return;
            }

            long now = _interface.Stack.Now;
            uint lease = ack.LeaseTime == 0 ? 3600u : ack.LeaseTime;
            LeasedAddress = ack.YourAddress;
            SubnetMask = ack.SubnetMask.IsAny || ack.SubnetMask.PrefixLength < 0 ? ClassfulMask(ack.YourAddress) : ack.SubnetMask;
            Router = ack.Routers.Count > 0 ? ack.Routers[0] : default;
            _dnsServers.Clear();
            _dnsServers.AddRange(ack.DnsServers);
            if (!ack.ServerIdentifier.IsAny)
            {
                ServerIdentifier = ack.ServerIdentifier;
            }

            LeaseSeconds = lease;
            LeaseStart = now;
            // RFC 2131 §4.4.5: T1 defaults to half the lease, T2 to 0.875 of it.
            long t1 = ack.RenewalTime != 0 && ack.RenewalTime < lease ? ack.RenewalTime * 1000L : lease * 500L;
            long t2 = ack.RebindingTime != 0 && ack.RebindingTime < lease ? ack.RebindingTime * 1000L : lease * 875L;
            ExpiresAt = now + lease * 1000L;
            RebindAt = now + Math.Max(t1, t2);
            RenewAt = now + Math.Min(t1, t2);
            State = DhcpState.Bound;
            LeasesObtained++;
            _retransmitAt = long.MaxValue;
            _interface.Configure(LeasedAddress, SubnetMask, Router, _dnsServers);
            _interface.Stack.ArmTimer(RenewAt);
            _interface.Stack.Log($"[dhcp] {_interface.Name}: bound {LeasedAddress}/{SubnetMask.PrefixLength} from {ServerIdentifier}, lease {lease} s");
        }

        private DhcpMessage NewMessage(DhcpMessageType type)
        {
            long elapsed = (_interface.Stack.Now - _startedAt) / 1000;
            return new DhcpMessage
            {
                Operation = 1,
                TransactionId = _transactionId,
                Seconds = (ushort)Math.Min(elapsed, ushort.MaxValue),
                Flags = _interface.IsConfigured ? (ushort)0 : DhcpMessage.BroadcastFlag,
                ClientHardwareAddress = _interface.MacAddress,
                MessageType = type,
                ParameterRequestList = type is DhcpMessageType.Discover or DhcpMessageType.Request ? RequestedParameters : null,
                HostName = HostName,
            };
        }

        private void Send(DhcpMessage message, Ipv4Address destination, NetworkInterface? via)
        {
            int length = message.Write(_buffer);
            NetworkResult result = _interface.Stack.Udp.Send(_interface.Address, DhcpMessage.ClientPort, destination, DhcpMessage.ServerPort,
                _buffer.AsSpan(0, length), 64, via);
            if (result == NetworkResult.Success)
            {
                _counters.CountOut(length);
            }
            else
            {
                _counters.Drop(NetworkDropReason.TransmitFailed);
            }
        }

        private void ClearLease()
        {
            LeasedAddress = default;
            SubnetMask = default;
            Router = default;
            ServerIdentifier = default;
            _dnsServers.Clear();
            LeaseSeconds = 0;
            RenewAt = RebindAt = ExpiresAt = long.MaxValue;
        }

        private static Ipv4Address ClassfulMask(Ipv4Address address) =>
            (address.Value >> 31) == 0 ? Ipv4Address.MaskFromPrefixLength(8)
            : (address.Value >> 30) == 2 ? Ipv4Address.MaskFromPrefixLength(16)
            : Ipv4Address.MaskFromPrefixLength(24);
    }
}
