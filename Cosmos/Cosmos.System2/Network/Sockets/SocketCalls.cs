using System;
using System.Collections.Generic;
using Cosmos.Core.Pal;

namespace Cosmos.System.Network
{
    /// <summary>
    /// The kernel's socket calls, the system-call side of libSystem.Native's socket functions (Plugs/Unix): socket
    /// creation, event-port registration, poll over socket descriptors and name resolution, all over one
    /// <see cref="NetworkSubsystem"/>. Results are counts or negated <see cref="Errno"/> values.
    /// </summary>
    public sealed class SocketCalls
    {
        /// <summary>The name <c>gethostname</c> gives; it resolves to the interfaces' addresses.</summary>
        public const string HostName = "cosmos";

        /// <summary>System.Net.Sockets.AddressFamily.InterNetwork.</summary>
        public const int AddressFamilyInet = 2;

        private const int SocketTypeStream = 1, SocketTypeDatagram = 2, ProtocolTcp = 6, ProtocolUdp = 17;

        private readonly List<KernelSocket> _registered = new List<KernelSocket>();
        private readonly Dictionary<ushort, StreamSocket> _tcpPorts = new Dictionary<ushort, StreamSocket>();
        private int _nextEphemeral;

        /// <summary>Socket calls over <paramref name="network"/>; registers with its network thread to turn stack changes into events.</summary>
        public SocketCalls(NetworkSubsystem network)
        {
            Network = network ?? throw new ArgumentNullException(nameof(network));
            _nextEphemeral = Environment.TickCount & 0x3FFF;
            network.AddPollObserver(PostEvents);
        }

        /// <summary>The calls the plugs use; set by the kernel runner at boot.</summary>
        public static SocketCalls? Current { get; set; }

        /// <summary>The network the sockets live on.</summary>
        public NetworkSubsystem Network { get; }

        /// <summary>
        /// socket(): AF_INET stream/TCP or datagram/UDP. Other families give EAFNOSUPPORT (so the class library
        /// reports no IPv6), other types ESOCKTNOSUPPORT, mismatched protocols EPROTONOSUPPORT.
        /// </summary>
        public int Create(int addressFamily, int socketType, int protocol, out KernelSocket? socket)
        {
            socket = null;
            if (addressFamily != AddressFamilyInet)
            {
                return -Errno.EAFNOSUPPORT;
            }

            switch (socketType)
            {
                case SocketTypeStream when protocol is 0 or ProtocolTcp:
                    socket = new StreamSocket(this);
                    return 0;
                case SocketTypeDatagram when protocol is 0 or ProtocolUdp:
                    socket = new DatagramSocket(this);
                    return 0;
                case SocketTypeStream or SocketTypeDatagram:
                    return -Errno.EPROTONOSUPPORT;
                default:
                    return -Errno.ESOCKTNOSUPPORT;
            }
        }

        /// <summary>
        /// Registers <paramref name="socket"/> with <paramref name="port"/> for <paramref name="events"/> (None
        /// deregisters). Like edge-triggered epoll, a socket already ready gets an event at once.
        /// </summary>
        public int ChangeRegistration(SocketEventPort port, KernelSocket socket, SocketEvents events, nuint data)
        {
            ArgumentNullException.ThrowIfNull(port);
            ArgumentNullException.ThrowIfNull(socket);
            lock (Network.SyncRoot)
            {
                if (socket.IsClosed)
                {
                    return -Errno.EBADF;
                }

                if (events == SocketEvents.None)
                {
                    Unregister(socket);
                    return 0;
                }

                if (socket.EventPort != null && socket.EventPort != port)
                {
                    return -Errno.EEXIST;
                }

                if (socket.EventPort == null)
                {
                    _registered.Add(socket);
                }

                socket.EventPort = port;
                socket.EventData = data;
                socket.RegisteredEvents = events;
                socket.ReportedSignature = socket.EventSignature;
                port.Post(socket, Mask(socket.Readiness, events));
                return 0;
            }
        }

        /// <summary>
        /// poll() over sockets: fills each entry's triggered events (POLLIN 1, POLLOUT 4, POLLERR 8, POLLHUP 16) and
        /// waits up to <paramref name="timeoutMilliseconds"/> (negative: forever) for one to trigger; the count triggered.
        /// </summary>
        public int Poll(ReadOnlySpan<KernelSocket?> sockets, ReadOnlySpan<short> requested, Span<short> triggered, int timeoutMilliseconds)
        {
            lock (Network.SyncRoot)
            {
                long deadline = timeoutMilliseconds < 0 ? long.MaxValue : Network.Stack.Now + timeoutMilliseconds;
                while (true)
                {
                    int count = 0;
                    for (int i = 0; i < sockets.Length; i++)
                    {
                        triggered[i] = sockets[i] == null ? (short)0 : PollEvents(sockets[i]!, requested[i]);
                        if (triggered[i] != 0)
                        {
                            count++;
                        }
                    }

                    if (count > 0 || timeoutMilliseconds == 0 || !Network.WaitForProgress(deadline))
                    {
                        return count;
                    }
                }
            }
        }

        /// <summary>
        /// Resolves <paramref name="name"/> to IPv4 addresses: literals, "localhost", <see cref="HostName"/> (the
        /// interfaces' addresses), then DNS. Fails with <see cref="DnsLookupStatus"/> (NoServers on a network without a
        /// DNS server).
        /// </summary>
        public DnsLookupStatus Resolve(string name, long timeoutMilliseconds, out Ipv4Address[] addresses)
        {
            ArgumentNullException.ThrowIfNull(name);
            addresses = Array.Empty<Ipv4Address>();
            if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                addresses = new[] { new Ipv4Address(127, 0, 0, 1) };
                return DnsLookupStatus.Succeeded;
            }

            if (name.Equals(HostName, StringComparison.OrdinalIgnoreCase))
            {
                var own = new List<Ipv4Address>();
                lock (Network.SyncRoot)
                {
                    foreach (NetworkInterface nic in Network.Stack.Interfaces)
                    {
                        if (nic.IsConfigured)
                        {
                            own.Add(nic.Address);
                        }
                    }
                }

                if (own.Count == 0)
                {
                    own.Add(new Ipv4Address(127, 0, 0, 1));
                }

                addresses = own.ToArray();
                return DnsLookupStatus.Succeeded;
            }

            DnsLookup lookup = Network.Resolve(name, timeoutMilliseconds);
            if (!lookup.IsComplete)
            {
                return DnsLookupStatus.TimedOut;
            }

            if (lookup.Status == DnsLookupStatus.Succeeded)
            {
                var list = new Ipv4Address[lookup.Addresses.Count];
                for (int i = 0; i < list.Length; i++)
                {
                    list[i] = lookup.Addresses[i];
                }

                addresses = list;
            }

            return lookup.Status;
        }

        /// <summary>Holding the lock: true when an interface has <paramref name="address"/>.</summary>
        public bool FindInterfaceAddress(Ipv4Address address) => FindInterface(address) != null;

        /// <summary>Holding the lock: the interface that has <paramref name="address"/>, or null.</summary>
        internal NetworkInterface? FindInterface(Ipv4Address address)
        {
            foreach (NetworkInterface nic in Network.Stack.Interfaces)
            {
                if (nic.Address == address)
                {
                    return nic;
                }
            }

            return null;
        }

        /// <summary>Holding the lock: reserves TCP <paramref name="requested"/> (0: a free ephemeral port) for <paramref name="socket"/>.</summary>
        internal int ReserveTcpPort(StreamSocket socket, ushort requested, out ushort port)
        {
            port = requested;
            if (requested != 0)
            {
                return IsTcpPortTaken(requested) ? -Errno.EADDRINUSE : Reserve(socket, requested);
            }

            const int range = 65536 - UdpService.FirstEphemeralPort;
            for (int i = 0; i < range; i++)
            {
                ushort candidate = (ushort)(UdpService.FirstEphemeralPort + (_nextEphemeral++ % range));
                if (!IsTcpPortTaken(candidate))
                {
                    port = candidate;
                    return Reserve(socket, candidate);
                }
            }

            return -Errno.EADDRINUSE;
        }

        /// <summary>Holding the lock: gives back the port <paramref name="socket"/> reserved.</summary>
        internal void ReleaseTcpPort(StreamSocket socket)
        {
            ushort port = socket.BoundPort;
            if (port != 0 && _tcpPorts.TryGetValue(port, out StreamSocket? holder) && holder == socket)
            {
                _tcpPorts.Remove(port);
            }
        }

        /// <summary>Holding the lock: takes <paramref name="socket"/> off its event port.</summary>
        internal void Unregister(KernelSocket socket)
        {
            if (socket.EventPort == null)
            {
                return;
            }

            socket.EventPort.Forget(socket);
            socket.EventPort = null;
            socket.RegisteredEvents = SocketEvents.None;
            _registered.Remove(socket);
        }

        private int Reserve(StreamSocket socket, ushort port)
        {
            _tcpPorts[port] = socket;
            return 0;
        }

        private bool IsTcpPortTaken(ushort port)
        {
            if (_tcpPorts.ContainsKey(port))
            {
                return true;
            }

            foreach (TcpListener listener in Network.Stack.Tcp.Listeners)
            {
                if (listener.LocalPort == port)
                {
                    return true;
                }
            }

            return false;
        }

        // The network thread, after every poll, holding the lock: an event for each registered socket that moved.
        private void PostEvents()
        {
            foreach (KernelSocket socket in _registered)
            {
                long signature = socket.EventSignature;
                if (signature == socket.ReportedSignature)
                {
                    continue;
                }

                socket.ReportedSignature = signature;
                socket.EventPort!.Post(socket, Mask(socket.Readiness, socket.RegisteredEvents));
            }
        }

        private static SocketEvents Mask(SocketEvents readiness, SocketEvents registered) =>
            readiness & (registered | SocketEvents.ReadClose | SocketEvents.Close | SocketEvents.Error);

        private static short PollEvents(KernelSocket socket, short requested)
        {
            const short PollIn = 0x01, PollOut = 0x04, PollErr = 0x08, PollHangUp = 0x10;
            SocketEvents readiness = socket.Readiness;
            short events = 0;
            if ((requested & PollIn) != 0 && (readiness & (SocketEvents.Read | SocketEvents.ReadClose)) != 0)
            {
                events |= PollIn;
            }

            if ((requested & PollOut) != 0 && (readiness & SocketEvents.Write) != 0)
            {
                events |= PollOut;
            }

            if ((readiness & SocketEvents.Error) != 0)
            {
                events |= PollErr;
            }

            if ((readiness & SocketEvents.Close) != 0)
            {
                events |= PollHangUp;
            }

            return events;
        }
    }
}
