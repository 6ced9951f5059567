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
    /// device, including those registered before they subscribed. Holds all driver state: there
    /// is no module-level static for drivers or devices.
    /// </summary>
    public sealed class DeviceManager
    {
        private readonly List<IBus> _buses = new();
        private readonly List<IDriver> _drivers = new();
        private readonly List<BusDeviceBinding> _bindings = new();
        private readonly List<DeviceEntry> _devices = new();
        private readonly Dictionary<string, int> _nextIndex = new(StringComparer.Ordinal);
        private readonly List<(DeviceClass Class, Action<DeviceEntry> Handler)> _subscribers = new();

        /// <summary>Registered devices in registration order.</summary>
        public IReadOnlyList<DeviceEntry> Devices => _devices;

        /// <summary>Every bus device seen by <see cref="Probe"/>, with the driver that took it or the error.</summary>
        public IReadOnlyList<BusDeviceBinding> Bindings => _bindings;

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
                    _bindings.Add(new BusDeviceBinding(new UnreadableBus(bus.Name), null, $"enumeration failed: {error.Message}"));
                    continue;
                }

                foreach (IBusDevice device in devices)
                {
                    _bindings.Add(BindOne(device));
                }
            }
        }

        private BusDeviceBinding BindOne(IBusDevice device)
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
        public DeviceEntry Register(IDevice device)
        {
            ArgumentNullException.ThrowIfNull(device);
            var entry = new DeviceEntry(NextName(device), device);
            _devices.Add(entry);
            foreach ((DeviceClass deviceClass, Action<DeviceEntry> handler) in _subscribers.ToArray())
            {
                if (deviceClass == device.Class)
                {
                    handler(entry);
                }
            }

            return entry;
        }

        /// <summary>Calls <paramref name="handler"/> for every device of <paramref name="deviceClass"/>, now and later.</summary>
        public void Subscribe(DeviceClass deviceClass, Action<DeviceEntry> handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            _subscribers.Add((deviceClass, handler));
            foreach (DeviceEntry entry in _devices.ToArray())
            {
                if (entry.Device.Class == deviceClass)
                {
                    handler(entry);
                }
            }
        }

        /// <summary>The registered device called <paramref name="name"/>, or null.</summary>
        public DeviceEntry? Find(string name)
        {
            foreach (DeviceEntry entry in _devices)
            {
                if (entry.Name == name)
                {
                    return entry;
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
