using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>
    /// The IPv4 stack. It never blocks and owns no thread: the kernel (or a test) calls <see cref="Poll"/> when a
    /// device has frames or <see cref="NextDeadline"/> has passed, and may halt until then otherwise.
    /// </summary>
    public sealed class NetworkStack
    {
        private readonly List<NetworkInterface> _interfaces = new List<NetworkInterface>();
        private long _nextDeadline = long.MaxValue;

        /// <summary>Creates a stack reading time from <paramref name="clock"/>; <paramref name="randomSeed"/> seeds identifiers, ports and initial sequence numbers.</summary>
        public NetworkStack(INetworkClock clock, int randomSeed)
        {
            Clock = clock ?? throw new ArgumentNullException(nameof(clock));
            Random = new Random(randomSeed);
            Ipv4 = new Ipv4Layer(this);
            Icmp = new IcmpService(this);
            Udp = new UdpService(this);
            Tcp = new TcpService(this);
            Dns = new DnsResolver(this);
        }

        /// <summary>The clock.</summary>
        public INetworkClock Clock { get; }

        /// <summary>The clock's current reading.</summary>
        public long Now => Clock.Milliseconds;

        /// <summary>The interfaces in the order they were added.</summary>
        public IReadOnlyList<NetworkInterface> Interfaces => _interfaces;

        /// <summary>The routing table (filled by interface configuration; routes may be added by hand).</summary>
        public RouteTable Routes { get; } = new RouteTable();

        /// <summary>The per-protocol counters.</summary>
        public NetworkCounters Counters { get; } = new NetworkCounters();

        /// <summary>Ping and ICMP.</summary>
        public IcmpService Icmp { get; }

        /// <summary>UDP sockets.</summary>
        public UdpService Udp { get; }

        /// <summary>TCP listeners and connections.</summary>
        public TcpService Tcp { get; }

        /// <summary>The DNS resolver (A records).</summary>
        public DnsResolver Dns { get; }

        /// <summary>Where the stack's short log lines go ("[dhcp] eth0: bound 10.0.2.15"); nothing when null.</summary>
        public Action<string>? Logger { get; set; }

        /// <summary>Frames at most read from each interface per <see cref="Poll"/>, so one flood cannot hold the caller.</summary>
        public int ReceiveBudget { get; set; } = 256;

        /// <summary>Exceptions caught while handling a frame: bugs in the stack, always 0 in a healthy system.</summary>
        public long InternalErrors { get; internal set; }

        /// <summary>
        /// The clock reading at which <see cref="Poll"/> must next run for its timers (long.MaxValue when nothing is
        /// scheduled); a caller with nothing else to do may sleep until then or until a device has a frame.
        /// </summary>
        public long NextDeadline => _nextDeadline;

        internal Random Random { get; }

        internal Ipv4Layer Ipv4 { get; }

        /// <summary>Adds an interface for <paramref name="device"/> named <paramref name="name"/> ("eth0").</summary>
        public NetworkInterface AddInterface(INetworkDevice device, string name)
        {
            if (device.MacAddress.Length != 6)
            {
                throw new ArgumentException($"{name}: the device's MAC address has {device.MacAddress.Length} bytes, not 6", nameof(device));
            }

            if (FindInterface(name) != null)
            {
                throw new ArgumentException($"an interface named {name} already exists", nameof(name));
            }

            var networkInterface = new NetworkInterface(this, device, name);
            _interfaces.Add(networkInterface);
            return networkInterface;
        }

        /// <summary>
        /// Takes <paramref name="networkInterface"/> out of the stack, for a device that is leaving: its address, DNS
        /// servers and every route through it go, its DHCP and ARP timers stop, and its device is no longer read.
        /// Connections that used its address find no route from then on and time out as they would on a dead link.
        /// </summary>
        /// <returns>False when it was not in the stack.</returns>
        public bool RemoveInterface(NetworkInterface networkInterface)
        {
            ArgumentNullException.ThrowIfNull(networkInterface);
            if (!_interfaces.Remove(networkInterface))
            {
                return false;
            }

            networkInterface.Deconfigure();
            foreach (Route route in new List<Route>(Routes.Routes))
            {
                if (route.Interface == networkInterface)
                {
                    Routes.Remove(route);
                }
            }

            return true;
        }

        /// <summary>The interface named <paramref name="name"/>, or null.</summary>
        public NetworkInterface? FindInterface(string name)
        {
            foreach (NetworkInterface candidate in _interfaces)
            {
                if (candidate.Name == name)
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>
        /// Reads waiting frames from every interface (up to <see cref="ReceiveBudget"/> each), delivers packets sent
        /// to ourselves, then runs every timer that is due. Returns the frames read: when it equals the budget, more
        /// may be waiting.
        /// </summary>
        public int Poll()
        {
            int frames = 0;
            foreach (NetworkInterface networkInterface in _interfaces)
            {
                frames += networkInterface.ReceiveFrames(ReceiveBudget);
            }

            Ipv4.DrainLoopback();
            RunTimers();
            return frames;
        }

        internal NetworkInterface? FindInterfaceByAddress(Ipv4Address address)
        {
            if (address.IsAny)
            {
                return null;
            }

            foreach (NetworkInterface candidate in _interfaces)
            {
                if (candidate.Address == address)
                {
                    return candidate;
                }
            }

            return null;
        }

        internal NetworkInterface? FirstUpInterface()
        {
            foreach (NetworkInterface candidate in _interfaces)
            {
                if (candidate.Device.IsLinkUp)
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>Notes that something wants <see cref="Poll"/> at <paramref name="deadline"/>.</summary>
        internal void ArmTimer(long deadline)
        {
            if (deadline < _nextDeadline)
            {
                _nextDeadline = deadline;
            }
        }

        internal void Log(string line) => Logger?.Invoke(line);

        private void RunTimers()
        {
            long now = Now;
            long next = long.MaxValue;
            // Every component reports its earliest deadline below; timers armed while they run still count.
            _nextDeadline = long.MaxValue;
            foreach (NetworkInterface networkInterface in _interfaces)
            {
                next = Math.Min(next, networkInterface.Arp.RunTimers(now));
                if (networkInterface.Dhcp != null)
                {
                    next = Math.Min(next, networkInterface.Dhcp.RunTimers(now));
                }
            }

            next = Math.Min(next, Ipv4.RunTimers(now));
            next = Math.Min(next, Icmp.RunTimers(now));
            next = Math.Min(next, Dns.RunTimers(now));
            next = Math.Min(next, Tcp.RunTimers(now));
            if (Ipv4.HasLoopbackWork)
            {
                next = now;
            }

            _nextDeadline = Math.Min(next, _nextDeadline);
        }
    }
}
