using System;
using System.Collections.Generic;

namespace Cosmos.HAL.Devices
{
    /// <summary>A registered device and its stable name.</summary>
    public sealed record DeviceEntry(string Name, IDevice Device);

    /// <summary>What happened to a bus device when drivers were matched.</summary>
    public sealed record BusDeviceBinding(IBusDevice Device, string? DriverName, string? Error);

    /// <summary>
    /// Enumerates buses, matches drivers from its registry, and keeps the devices drivers
    /// register under stable names. Subsystems subscribe by device class and hear of every
    /// device, including those registered before they subscribed, and of every device that leaves
    /// (<see cref="Remove"/>, a hot-plug slot emptied). Holds all driver state: there is no
    /// module-level static for drivers or devices.
    /// </summary>
    /// <remarks>
    /// Probing, adding and removing are serialised by one lock (a hot-plug monitor thread adds and removes while the
    /// shell lists); the lists are handed out as snapshots, so a reader never sees one change half done.
    /// </remarks>
    public sealed class DeviceManager
    {
        private readonly object _gate = new();
        private readonly List<IBus> _buses = new();
        private readonly List<IDriver> _drivers = new();
        private readonly List<BusDeviceBinding> _bindings = new();
        private readonly List<DeviceEntry> _devices = new();
        private readonly Dictionary<IDevice, IBusDevice> _busDeviceOf = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> _nextIndex = new(StringComparer.Ordinal);
        private readonly List<(DeviceClass Class, Action<DeviceEntry> Added, Action<DeviceEntry>? Removed)> _subscribers = new();
        private IBusDevice? _binding;

        /// <summary>Registered devices in registration order (a snapshot).</summary>
        public IReadOnlyList<DeviceEntry> Devices
        {
            get
            {
                lock (_gate)
                {
                    return _devices.ToArray();
                }
            }
        }

        /// <summary>Every bus device seen by <see cref="Probe"/> or <see cref="Add"/>, with the driver that took it or the error (a snapshot).</summary>
        public IReadOnlyList<BusDeviceBinding> Bindings
        {
            get
            {
                lock (_gate)
                {
                    return _bindings.ToArray();
                }
            }
        }

        /// <summary>The buses added, in enumeration order.</summary>
        public IReadOnlyList<IBus> Buses => _buses;

        /// <summary>The drivers in matching order.</summary>
        public IReadOnlyList<IDriver> Drivers => _drivers;

        /// <summary>Adds a bus to enumerate.</summary>
        public void AddBus(IBus bus)
        {
            ArgumentNullException.ThrowIfNull(bus);
            _buses.Add(bus);
        }

        /// <summary>Adds a driver; earlier drivers are tried first.</summary>
        public void AddDriver(IDriver driver)
        {
            ArgumentNullException.ThrowIfNull(driver);
            _drivers.Add(driver);
        }

        /// <summary>
        /// Enumerates every bus and offers each device to the drivers in order until one binds. A
        /// driver that fails (or throws) is recorded against the device and the next is tried;
        /// one bad device never stops the others.
        /// </summary>
        public void Probe()
        {
            foreach (IBus bus in _buses)
            {
                IReadOnlyList<IBusDevice> devices;
                try
                {
                    devices = bus.Enumerate();
                }
                catch (Exception error)
                {
                    lock (_gate)
                    {
                        _bindings.Add(new BusDeviceBinding(new UnreadableBus(bus.Name), null, $"enumeration failed: {error.Message}"));
                    }

                    continue;
                }

                foreach (IBusDevice device in devices)
                {
                    Add(device);
                }
            }

            foreach (IBus bus in _buses)
            {
                if (bus is IHotplugBus hotplug)
                {
                    try
                    {
                        hotplug.StartHotplug(this);
                    }
                    catch (Exception error)
                    {
                        lock (_gate)
                        {
                            _bindings.Add(new BusDeviceBinding(new UnreadableBus(bus.Name), null, $"hot-plug not started: {error.Message}"));
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Offers a device that appeared after <see cref="Probe"/> (a card in a hot-plug slot) to the drivers, as Probe
        /// does, and records the outcome in <see cref="Bindings"/>.
        /// </summary>
        public BusDeviceBinding Add(IBusDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            lock (_gate)
            {
                BusDeviceBinding binding = BindOne(device);
                _bindings.Add(binding);
                return binding;
            }
        }

        /// <summary>
        /// Takes away everything the driver of <paramref name="device"/> registered for it: each device's subscribers
        /// hear that it leaves (a file system flushes and unmounts, an interface goes down), then the device is
        /// detached (<see cref="IRemovableDevice.Detach"/>) and forgotten. What a subscriber or driver throws is
        /// returned as a problem, never thrown: the device is gone either way. Its name is not given out again.
        /// </summary>
        /// <returns>The devices removed and the problems met, one sentence each.</returns>
        public (IReadOnlyList<DeviceEntry> Removed, IReadOnlyList<string> Problems) Remove(IBusDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            var removed = new List<DeviceEntry>();
            var problems = new List<string>();
            lock (_gate)
            {
                foreach (DeviceEntry entry in _devices.ToArray())
                {
                    if (!_busDeviceOf.TryGetValue(entry.Device, out IBusDevice? owner) || !ReferenceEquals(owner, device))
                    {
                        continue;
                    }

                    foreach ((DeviceClass deviceClass, _, Action<DeviceEntry>? handler) in _subscribers.ToArray())
                    {
                        if (deviceClass != entry.Device.Class || handler == null)
                        {
                            continue;
                        }

                        try
                        {
                            handler(entry);
                        }
                        catch (Exception error)
                        {
                            problems.Add($"{entry.Name}: {error.GetType().Name}: {error.Message}");
                        }
                    }

                    if (entry.Device is IRemovableDevice removable)
                    {
                        try
                        {
                            removable.Detach();
                        }
                        catch (Exception error)
                        {
                            problems.Add($"{entry.Name}: detach failed: {error.GetType().Name}: {error.Message}");
                        }
                    }
                    else
                    {
                        problems.Add($"{entry.Name}: {entry.Device.DriverName} cannot detach its device; it is forgotten, not stopped");
                    }

                    _devices.Remove(entry);
                    _busDeviceOf.Remove(entry.Device);
                    removed.Add(entry);
                }

                _bindings.RemoveAll(binding => ReferenceEquals(binding.Device, device));
            }

            return (removed, problems);
        }

        /// <summary>The devices the driver of <paramref name="device"/> registered for it.</summary>
        public IReadOnlyList<DeviceEntry> DevicesOf(IBusDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            var found = new List<DeviceEntry>();
            lock (_gate)
            {
                foreach (DeviceEntry entry in _devices)
                {
                    if (_busDeviceOf.TryGetValue(entry.Device, out IBusDevice? owner) && ReferenceEquals(owner, device))
                    {
                        found.Add(entry);
                    }
                }
            }

            return found;
        }

        private BusDeviceBinding BindOne(IBusDevice device)
        {
            _binding = device;
            try
            {
                return BindToFirstDriver(device);
            }
            finally
            {
                _binding = null;
            }
        }

        private BusDeviceBinding BindToFirstDriver(IBusDevice device)
        {
            string? lastError = null;
            foreach (IDriver driver in _drivers)
            {
                if (!driver.Matches(device))
                {
                    continue;
                }

                string? error;
                try
                {
                    error = driver.Bind(device, this);
                }
                catch (Exception exception)
                {
                    error = $"{exception.GetType().Name}: {exception.Message}";
                }

                if (error == null)
                {
                    return new BusDeviceBinding(device, driver.Name, null);
                }

                lastError = $"{driver.Name}: {error}";
            }

            return new BusDeviceBinding(device, null, lastError);
        }

        /// <summary>Registers <paramref name="device"/>, names it, and tells the subscribers of its class.</summary>
        /// <remarks>Called by a driver from <see cref="IDriver.Bind"/>; the device then belongs to the bus device being bound, and leaves with it.</remarks>
        public DeviceEntry Register(IDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            DeviceEntry entry;
            (DeviceClass Class, Action<DeviceEntry> Added, Action<DeviceEntry>? Removed)[] subscribers;
            lock (_gate)
            {
                entry = new DeviceEntry(NextName(device), device);
                _devices.Add(entry);
                if (_binding != null)
                {
                    _busDeviceOf[device] = _binding;
                }

                subscribers = _subscribers.ToArray();
            }

            foreach ((DeviceClass deviceClass, Action<DeviceEntry> handler, _) in subscribers)
            {
                if (deviceClass == device.Class)
                {
                    handler(entry);
                }
            }

            return entry;
        }

        /// <summary>Calls <paramref name="handler"/> for every device of <paramref name="deviceClass"/>, now and later.</summary>
        public void Subscribe(DeviceClass deviceClass, Action<DeviceEntry> handler) => Subscribe(deviceClass, handler, null);

        /// <summary>
        /// Calls <paramref name="added"/> for every device of <paramref name="deviceClass"/>, now and later, and
        /// <paramref name="removed"/> (when given) for each one that leaves, before its driver detaches it.
        /// </summary>
        public void Subscribe(DeviceClass deviceClass, Action<DeviceEntry> added, Action<DeviceEntry>? removed)
        {
            ArgumentNullException.ThrowIfNull(added);
            DeviceEntry[] existing;
            lock (_gate)
            {
                _subscribers.Add((deviceClass, added, removed));
                existing = _devices.ToArray();
            }

            foreach (DeviceEntry entry in existing)
            {
                if (entry.Device.Class == deviceClass)
                {
                    added(entry);
                }
            }
        }

        /// <summary>The registered device called <paramref name="name"/>, or null.</summary>
        public DeviceEntry? Find(string name)
        {
            lock (_gate)
            {
                foreach (DeviceEntry entry in _devices)
                {
                    if (entry.Name == name)
                    {
                        return entry;
                    }
                }
            }

            return null;
        }

        // Disks get letters (vda, vdb, … vdz, vdaa), everything else numbers (eth0, eth1).
        private string NextName(IDevice device)
        {
            string stem = device.NameStem;
            int index = _nextIndex.TryGetValue(stem, out int next) ? next : 0;
            _nextIndex[stem] = index + 1;
            return device.Class == DeviceClass.Block ? stem + Letters(index) : stem + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        private static string Letters(int index)
        {
            string letters = "";
            index++;
            while (index > 0)
            {
                index--;
                letters = (char)('a' + (index % 26)) + letters;
                index /= 26;
            }

            return letters;
        }

        private sealed class UnreadableBus : IBusDevice
        {
            public UnreadableBus(string bus) => Bus = bus;

            public string Bus { get; }

            public string Address => "-";

            public string Description => "the bus could not be enumerated";
        }
    }
}
