using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>
    /// The kernel's network: one <see cref="NetworkStack"/> that every network device joins as it registers
    /// (with DHCP started on it), driven by a dedicated thread that polls the stack, then sleeps until a device
    /// signals frames or the stack's next timer is due. The stack is not thread-safe: every call into it is made
    /// holding <see cref="SyncRoot"/>, which the network thread holds while it polls. The blocking helpers here
    /// (wait for an address, ping, resolve, TCP) wait on <see cref="SyncRoot"/> as a monitor, pulsed after every poll.
    /// </summary>
    public sealed class NetworkSubsystem
    {
        /// <summary>The longest the network thread sleeps without a signal: a safety net for a device that never signals.</summary>
        public const long MaximumSleepMilliseconds = 50;

        private readonly object _sync = new object();
        private readonly INetworkWakeSignal _wake;
        private readonly Action<string>? _log;
        private readonly List<Link> _links = new List<Link>();
        private readonly List<Action> _pollObservers = new List<Action>();
        private Thread? _thread;
        private long _sleepingUntil = long.MaxValue;

        /// <summary>The kernel's subsystem: the TSC clock, a <see cref="KernelWakeSignal"/>, log lines on the console.</summary>
        public NetworkSubsystem()
            : this(new KernelNetworkClock(), new KernelWakeSignal(), unchecked((int)Stopwatch.GetTimestamp()), global::System.Console.WriteLine)
        {
        }

        /// <summary>A subsystem over <paramref name="clock"/> and <paramref name="wake"/> (tests give fakes); log lines go to <paramref name="log"/>.</summary>
        public NetworkSubsystem(INetworkClock clock, INetworkWakeSignal wake, int randomSeed, Action<string>? log)
        {
            _wake = wake ?? throw new ArgumentNullException(nameof(wake));
            _log = log;
            Stack = new NetworkStack(clock, randomSeed) { Logger = ForwardStackLog };
        }

        /// <summary>The stack. Call into it only while holding <see cref="SyncRoot"/>.</summary>
        public NetworkStack Stack { get; }

        /// <summary>The lock serialising every use of <see cref="Stack"/>; pulsed (Monitor.PulseAll) after every poll.</summary>
        public object SyncRoot => _sync;

        /// <summary>Whether <see cref="AddDevice"/> starts DHCP on a new interface (true); without it, configure the interface by hand.</summary>
        public bool StartsDhcp { get; set; } = true;

        /// <summary>True once the network thread runs.</summary>
        public bool IsRunning => _thread != null;

        /// <summary>Adds every network device <paramref name="devices"/> has and will register.</summary>
        public void AttachDevices(DeviceManager devices)
        {
            ArgumentNullException.ThrowIfNull(devices);
            devices.Subscribe(DeviceClass.Network, entry => AddDevice((INetworkDevice)entry.Device, entry.Name), entry => RemoveDevice(entry.Name));
        }

        /// <summary>
        /// Takes interface <paramref name="name"/> out of the stack (its device is leaving): from the next poll on its
        /// device is neither read nor written, and its routes and address are gone.
        /// </summary>
        /// <returns>False when there is no such interface.</returns>
        public bool RemoveDevice(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            lock (_sync)
            {
                NetworkInterface? networkInterface = Stack.FindInterface(name);
                if (networkInterface == null)
                {
                    return false;
                }

                Stack.RemoveInterface(networkInterface);
                _links.RemoveAll(link => link.Interface == networkInterface);
                networkInterface.Device.FramesArrived = null;
                Log($"[net] {name}: removed");
                Monitor.PulseAll(_sync);
            }

            return true;
        }

        /// <summary>
        /// Adds <paramref name="device"/> as interface <paramref name="name"/>, starts DHCP on it (see <see cref="StartsDhcp"/>)
        /// and, for the first device, the network thread.
        /// </summary>
        public NetworkInterface AddDevice(INetworkDevice device, string name)
        {
            ArgumentNullException.ThrowIfNull(device);
            NetworkInterface networkInterface;
            lock (_sync)
            {
                networkInterface = Stack.AddInterface(device, name);
                _links.Add(new Link(networkInterface, Stack.Now));
                device.FramesArrived = _wake.Set;
                if (StartsDhcp)
                {
                    networkInterface.StartDhcp();
                }
            }

            if (_thread == null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "net" };
                _thread.Start();
            }

            _wake.Set();
            return networkInterface;
        }

        /// <summary>
        /// Adds <paramref name="observer"/>, called on the network thread after every poll while it holds
        /// <see cref="SyncRoot"/> (the socket layer turns state changes into events there). It must not block.
        /// </summary>
        public void AddPollObserver(Action observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            lock (_sync)
            {
                _pollObservers.Add(observer);
            }
        }

        /// <summary>
        /// Tells the network thread that a caller changed the stack (queued data, started a ping): it recomputes when to
        /// wake. Call after a call into <see cref="Stack"/>, holding <see cref="SyncRoot"/> or not.
        /// </summary>
        public void Kick()
        {
            if (Volatile.Read(ref _sleepingUntil) > Stack.NextDeadline)
            {
                _wake.Set();
            }
        }

        /// <summary>
        /// Holding <see cref="SyncRoot"/>: waits for the next poll or until <paramref name="deadline"/> (stack clock);
        /// false when the deadline has passed.
        /// </summary>
        public bool WaitForProgress(long deadline)
        {
            long remaining = deadline - Stack.Now;
            if (remaining <= 0)
            {
                return false;
            }

            Monitor.Wait(_sync, (int)Math.Min(remaining, int.MaxValue));
            return true;
        }

        /// <summary>The first interface with an address, waiting up to <paramref name="timeoutMilliseconds"/> for DHCP; null when none has one by then.</summary>
        public NetworkInterface? WaitForAddress(long timeoutMilliseconds)
        {
            lock (_sync)
            {
                long deadline = Stack.Now + timeoutMilliseconds;
                while (true)
                {
                    foreach (NetworkInterface candidate in Stack.Interfaces)
                    {
                        if (candidate.IsConfigured)
                        {
                            return candidate;
                        }
                    }

                    if (!WaitForProgress(deadline))
                    {
                        return null;
                    }
                }
            }
        }

        /// <summary>Sends one echo request and waits for its outcome (the request times out after <paramref name="timeoutMilliseconds"/>).</summary>
        public PingRequest Ping(Ipv4Address destination, long timeoutMilliseconds, int payloadLength = 56)
        {
            lock (_sync)
            {
                PingRequest request = Stack.Icmp.Ping(destination, payloadLength, timeoutMilliseconds);
                Kick();
                // The stack ends the request at its deadline; the margin only guards against a stalled thread.
                long deadline = Stack.Now + timeoutMilliseconds + 1_000;
                while (!request.IsComplete && WaitForProgress(deadline))
                {
                }

                return request;
            }
        }

        /// <summary>Resolves <paramref name="name"/> (a dotted quad completes at once), waiting up to <paramref name="timeoutMilliseconds"/>.</summary>
        public DnsLookup Resolve(string name, long timeoutMilliseconds)
        {
            ArgumentNullException.ThrowIfNull(name);
            lock (_sync)
            {
                DnsLookup lookup = Stack.Dns.Resolve(name);
                Kick();
                long deadline = Stack.Now + timeoutMilliseconds;
                while (!lookup.IsComplete && WaitForProgress(deadline))
                {
                }

                return lookup;
            }
        }

        /// <summary>Listens on TCP <paramref name="port"/> of every address; <see cref="NetworkResult.AddressInUse"/> when it is taken.</summary>
        public NetworkResult Listen(ushort port, int backlog, out NetworkTcpListener? listener)
        {
            listener = null;
            lock (_sync)
            {
                NetworkResult result = Stack.Tcp.TryListen(Ipv4Address.Any, port, backlog, out TcpListener? tcp);
                if (result == NetworkResult.Success)
                {
                    listener = new NetworkTcpListener(this, tcp!);
                }

                return result;
            }
        }

        /// <summary>Connects to <paramref name="address"/>:<paramref name="port"/>, waiting up to <paramref name="timeoutMilliseconds"/> for the handshake.</summary>
        public NetworkResult Connect(Ipv4Address address, ushort port, long timeoutMilliseconds, out NetworkTcpConnection? connection)
        {
            connection = null;
            lock (_sync)
            {
                NetworkResult result = Stack.Tcp.TryConnect(address, port, out TcpConnection? tcp);
                if (result != NetworkResult.Success)
                {
                    return result;
                }

                Kick();
                long deadline = Stack.Now + timeoutMilliseconds;
                while (tcp!.State is TcpState.SynSent or TcpState.SynReceived && tcp.Error == NetworkResult.Success)
                {
                    if (!WaitForProgress(deadline))
                    {
                        tcp.Abort();
                        return NetworkResult.TimedOut;
                    }
                }

                if (!tcp.IsConnected)
                {
                    return tcp.Error == NetworkResult.Success ? NetworkResult.NotConnected : tcp.Error;
                }

                connection = new NetworkTcpConnection(this, tcp);
                return NetworkResult.Success;
            }
        }

        // The network thread: poll, report address changes, wake waiters, sleep until a frame or the next timer.
        private void Run()
        {
            while (true)
            {
                long sleep;
                lock (_sync)
                {
                    Volatile.Write(ref _sleepingUntil, long.MinValue);
                    int frames = Stack.Poll();
                    ReportAddressChanges();
                    foreach (Action observer in _pollObservers)
                    {
                        observer();
                    }

                    Monitor.PulseAll(_sync);
                    long now = Stack.Now;
                    sleep = Math.Clamp(Stack.NextDeadline - now, 0, MaximumSleepMilliseconds);
                    if (frames >= Stack.ReceiveBudget || AnyFrameWaiting())
                    {
                        sleep = 0;
                    }

                    Volatile.Write(ref _sleepingUntil, now + sleep);
                }

                if (sleep > 0)
                {
                    _wake.Wait(sleep);
                }
                else
                {
                    Thread.Yield();
                }
            }
        }

        private bool AnyFrameWaiting()
        {
            foreach (Link link in _links)
            {
                if (link.Interface.Device.HasFrameWaiting)
                {
                    return true;
                }
            }

            return false;
        }

        private void ReportAddressChanges()
        {
            foreach (Link link in _links)
            {
                NetworkInterface nic = link.Interface;
                if (nic.Address == link.ReportedAddress)
                {
                    continue;
                }

                link.ReportedAddress = nic.Address;
                if (!nic.IsConfigured)
                {
                    Log($"[net] {nic.Name}: address lost, asking DHCP again");
                    link.ConfigurationStartedAt = Stack.Now;
                    continue;
                }

                string dns = nic.DnsServers.Count == 0 ? "none" : string.Join(",", nic.DnsServers);
                double seconds = (Stack.Now - link.ConfigurationStartedAt) / 1000.0;
                string how = nic.Dhcp != null && nic.Dhcp.State != DhcpState.Stopped
                    ? $" (dhcp {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s)"
                    : "";
                string gateway = nic.Gateway.IsAny ? "none" : nic.Gateway.ToString();
                Log($"[net] {nic.Name}: {nic.Address}/{nic.SubnetMask.PrefixLength} gw {gateway} dns {dns}{how}");
            }
        }

        // The stack's routine lines (the address it configured, the lease it got) are summed up by ReportAddressChanges.
        private void ForwardStackLog(string line)
        {
            bool routine = (line.StartsWith("[net] ", StringComparison.Ordinal) && line.Contains(" gw ", StringComparison.Ordinal))
                || (line.StartsWith("[dhcp] ", StringComparison.Ordinal) && line.Contains(": bound ", StringComparison.Ordinal));
            if (!routine)
            {
                Log(line);
            }
        }

        private void Log(string line) => _log?.Invoke(line);

        private sealed class Link
        {
            public Link(NetworkInterface networkInterface, long startedAt)
            {
                Interface = networkInterface;
                ConfigurationStartedAt = startedAt;
            }

            public NetworkInterface Interface { get; }

            public long ConfigurationStartedAt { get; set; }

            public Ipv4Address ReportedAddress { get; set; }
        }
    }
}
