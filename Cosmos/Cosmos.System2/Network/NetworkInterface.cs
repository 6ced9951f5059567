using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>
    /// One Ethernet interface of the stack, bound to a network device: its addresses, ARP cache, DHCP client and
    /// counters. Frames are read from the device by <see cref="NetworkStack.Poll"/>.
    /// </summary>
    public sealed class NetworkInterface
    {
        private readonly byte[] _receiveFrame;
        private readonly byte[] _transmitFrame;
        private readonly List<Ipv4Address> _dnsServers = new List<Ipv4Address>();

        internal NetworkInterface(NetworkStack stack, INetworkDevice device, string name)
        {
            Stack = stack;
            Device = device;
            Name = name;
            MacAddress = MacAddress.Read(device.MacAddress);
            // IPv4 needs at least 68 bytes (RFC 791 §3.2); anything smaller from a device is a driver bug.
            Mtu = Math.Clamp(device.Mtu, 68, 65535 - EthernetHeader.Length);
            _receiveFrame = new byte[Mtu + EthernetHeader.Length + 4];
            _transmitFrame = new byte[Math.Max(Mtu + EthernetHeader.Length, EthernetHeader.MinimumFrameLength)];
            Counters = new ProtocolCounters(name);
            Arp = new ArpCache(this, stack.Counters.Arp);
        }

        /// <summary>The stack it belongs to.</summary>
        public NetworkStack Stack { get; }

        /// <summary>The device.</summary>
        public INetworkDevice Device { get; }

        /// <summary>Its name ("eth0").</summary>
        public string Name { get; }

        /// <summary>The device's MAC.</summary>
        public MacAddress MacAddress { get; }

        /// <summary>Largest IPv4 packet sent unfragmented.</summary>
        public int Mtu { get; }

        /// <summary>Frames in and out, bytes, drops by reason.</summary>
        public ProtocolCounters Counters { get; }

        /// <summary>Its neighbours.</summary>
        public ArpCache Arp { get; }

        /// <summary>Its DHCP client once <see cref="StartDhcp"/> was called.</summary>
        public DhcpClient? Dhcp { get; private set; }

        /// <summary>The interface's address, 0.0.0.0 until configured.</summary>
        public Ipv4Address Address { get; private set; }

        /// <summary>The subnet mask.</summary>
        public Ipv4Address SubnetMask { get; private set; }

        /// <summary>The default gateway, 0.0.0.0 for none.</summary>
        public Ipv4Address Gateway { get; private set; }

        /// <summary>The DNS servers learnt with the address.</summary>
        public IReadOnlyList<Ipv4Address> DnsServers => _dnsServers;

        /// <summary>True once it has an address.</summary>
        public bool IsConfigured => !Address.IsAny;

        /// <summary>The directed broadcast address of its subnet.</summary>
        public Ipv4Address BroadcastAddress => new Ipv4Address(Address.Value | ~SubnetMask.Value);

        /// <summary>
        /// Sets the address, mask, gateway and DNS servers, replacing the routes a previous configuration installed
        /// with the connected network and (if <paramref name="gateway"/> is set) a default route, and announces the
        /// address with a gratuitous ARP (RFC 5227 §2.3).
        /// </summary>
        public void Configure(Ipv4Address address, Ipv4Address subnetMask, Ipv4Address gateway = default, IEnumerable<Ipv4Address>? dnsServers = null)
        {
            if (address.IsAny || address.IsBroadcast || address.IsMulticast || subnetMask.PrefixLength < 0)
            {
                throw new ArgumentException($"{Name}: {address}/{subnetMask} is not a usable host address and mask");
            }

            bool changed = address != Address;
            Address = address;
            SubnetMask = subnetMask;
            Gateway = gateway;
            _dnsServers.Clear();
            if (dnsServers != null)
            {
                _dnsServers.AddRange(dnsServers);
            }

            Stack.Routes.RemoveAutomatic(this);
            Stack.Routes.Add(new Route(address, subnetMask, default, this) { IsAutomatic = true });
            if (!gateway.IsAny)
            {
                Stack.Routes.Add(new Route(default, default, gateway, this, metric: 100) { IsAutomatic = true });
            }

            if (changed)
            {
                Stack.Log($"[net] {Name}: {address}/{subnetMask.PrefixLength} gw {gateway}");
                SendArp(new ArpPacket(ArpPacket.OperationRequest, MacAddress, address, MacAddress.Zero, address), MacAddress.Broadcast);
            }
        }

        /// <summary>Removes the address, its routes and DNS servers.</summary>
        public void Deconfigure()
        {
            Address = default;
            SubnetMask = default;
            Gateway = default;
            _dnsServers.Clear();
            Stack.Routes.RemoveAutomatic(this);
        }

        /// <summary>Starts (or restarts) DHCP on this interface; the client configures it when a lease is bound.</summary>
        public DhcpClient StartDhcp()
        {
            Dhcp ??= new DhcpClient(this);
            Dhcp.Start();
            return Dhcp;
        }

        /// <summary>Reads up to <paramref name="budget"/> frames from the device; returns how many were read.</summary>
        internal int ReceiveFrames(int budget)
        {
            int frames = 0;
            while (frames < budget)
            {
                int length = Device.TryReceive(_receiveFrame);
                if (length <= 0)
                {
                    break;
                }

                frames++;
                try
                {
                    HandleFrame(_receiveFrame.AsSpan(0, Math.Min(length, _receiveFrame.Length)));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A bug, not bad input: bad input is dropped and counted above. Keep the stack alive and say so.
                    Stack.InternalErrors++;
                    Stack.Log($"[net] {Name}: frame handling failed: {e.GetType().Name}: {e.Message}");
                }
            }

            return frames;
        }

        internal void SendArp(ArpPacket packet, MacAddress destination)
        {
            Span<byte> payload = stackalloc byte[ArpPacket.Length];
            packet.Write(payload);
            if (SendFrame(destination, EtherType.Arp, payload))
            {
                Stack.Counters.Arp.CountOut(ArpPacket.Length);
            }
        }

        /// <summary>Sends a complete IPv4 packet to a resolved neighbour, fragmenting it to the MTU (RFC 791 §3.2).</summary>
        internal void TransmitIpv4To(MacAddress destination, ReadOnlySpan<byte> packet)
        {
            if (packet.Length <= Mtu)
            {
                SendFrame(destination, EtherType.Ipv4, packet);
                return;
            }

            if (!Ipv4Header.TryRead(packet, out Ipv4Header header, out _) || header.DontFragment)
            {
                Stack.Counters.Ipv4.Drop(NetworkDropReason.FragmentationNeeded);
                return;
            }

            ReadOnlySpan<byte> payload = packet.Slice(header.HeaderLength, header.PayloadLength);
            int chunk = (Mtu - Ipv4Header.MinimumLength) & ~7;
            Span<byte> frame = _transmitFrame;
            for (int offset = 0; offset < payload.Length; offset += chunk)
            {
                int length = Math.Min(chunk, payload.Length - offset);
                bool more = offset + length < payload.Length || header.MoreFragments;
                var fragment = new Ipv4Header(header.Source, header.Destination, header.Protocol, Ipv4Header.MinimumLength + length,
                    header.Identification, header.TimeToLive, false, more, header.FragmentOffset + offset, header.TypeOfService);
                Span<byte> ip = frame.Slice(EthernetHeader.Length);
                fragment.Write(ip);
                payload.Slice(offset, length).CopyTo(ip.Slice(Ipv4Header.MinimumLength));
                TransmitBuilt(destination, EtherType.Ipv4, Ipv4Header.MinimumLength + length);
            }
        }

        private bool SendFrame(MacAddress destination, ushort etherType, ReadOnlySpan<byte> payload)
        {
            payload.CopyTo(_transmitFrame.AsSpan(EthernetHeader.Length));
            return TransmitBuilt(destination, etherType, payload.Length);
        }

        /// <summary>Adds the Ethernet header to the payload already in the transmit frame, pads it and hands it to the device.</summary>
        private bool TransmitBuilt(MacAddress destination, ushort etherType, int payloadLength)
        {
            new EthernetHeader(destination, MacAddress, etherType).Write(_transmitFrame);
            int length = EthernetHeader.Length + payloadLength;
            if (length < EthernetHeader.MinimumFrameLength)
            {
                _transmitFrame.AsSpan(length, EthernetHeader.MinimumFrameLength - length).Clear();
                length = EthernetHeader.MinimumFrameLength;
            }

            if (!Device.IsLinkUp || !Device.TrySend(_transmitFrame.AsSpan(0, length)))
            {
                Counters.Drop(NetworkDropReason.TransmitFailed);
                return false;
            }

            Counters.CountOut(length);
            return true;
        }

        private void HandleFrame(ReadOnlySpan<byte> frame)
        {
            Counters.CountIn(frame.Length);
            if (!EthernetHeader.TryRead(frame, out EthernetHeader ethernet))
            {
                Counters.Drop(NetworkDropReason.Truncated);
                return;
            }

            if (ethernet.Destination != MacAddress && !ethernet.Destination.IsBroadcast)
            {
                Counters.Drop(NetworkDropReason.NotForUs);
                return;
            }

            ReadOnlySpan<byte> payload = frame.Slice(EthernetHeader.Length);
            switch (ethernet.EtherType)
            {
                case EtherType.Arp:
                    if (!ArpPacket.TryRead(payload, out ArpPacket arp, out NetworkDropReason reason))
                    {
                        Stack.Counters.Arp.Drop(reason);
                        return;
                    }

                    Stack.Counters.Arp.CountIn(ArpPacket.Length);
                    Arp.Receive(arp);
                    break;
                case EtherType.Ipv4:
                    Stack.Ipv4.Receive(this, payload, ethernet.Destination.IsBroadcast);
                    break;
                default:
                    Counters.Drop(NetworkDropReason.UnknownProtocol);
                    break;
            }
        }

        /// <summary>"eth0 52:54:00:12:34:56 10.0.2.15/24 mtu 1500".</summary>
        public override string ToString() =>
            IsConfigured ? $"{Name} {MacAddress} {Address}/{SubnetMask.PrefixLength} mtu {Mtu}" : $"{Name} {MacAddress} unconfigured mtu {Mtu}";
    }
}
