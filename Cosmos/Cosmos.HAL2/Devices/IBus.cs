using System.Collections.Generic;

namespace Cosmos.HAL.Devices
{
    /// <summary>Something found on a bus before any driver has it: a PCI function, a virtio-mmio slot.</summary>
    public interface IBusDevice
    {
        /// <summary>The bus ("pci", "virtio-mmio").</summary>
        string Bus { get; }

        /// <summary>Its address on the bus ("0000:00:04.0", "0xfeb00000").</summary>
        string Address { get; }

        /// <summary>One line for listings: ids, class, resources.</summary>
        string Description { get; }
    }

    /// <summary>Enumerates the devices of one bus.</summary>
    public interface IBus
    {
        /// <summary>Its name.</summary>
        string Name { get; }

        /// <summary>The devices present.</summary>
        IReadOnlyList<IBusDevice> Enumerate();
    }

    /// <summary>
    /// A bus whose devices can come and go while the kernel runs (PCI Express hot-plug slots). After the first probe
    /// the device manager calls <see cref="StartHotplug"/>, and the bus then tells it of arrivals
    /// (<see cref="DeviceManager.Add"/>) and departures (<see cref="DeviceManager.Remove"/>).
    /// </summary>
    public interface IHotplugBus : IBus
    {
        /// <summary>Starts watching the bus's hot-plug slots on behalf of <paramref name="manager"/>.</summary>
        void StartHotplug(DeviceManager manager);
    }

    /// <summary>
    /// A driver: recognises bus devices it can run and brings them up, registering the devices it
    /// makes with the manager.
    /// </summary>
    public interface IDriver
    {
        /// <summary>Its name ("virtio").</summary>
        string Name { get; }

        /// <summary>True when this driver can try <paramref name="device"/>.</summary>
        bool Matches(IBusDevice device);

        /// <summary>
        /// Brings the device up and registers what it makes with <paramref name="manager"/>;
        /// returns null on success or a message saying why not (the device is then left alone).
        /// </summary>
        string? Bind(IBusDevice device, DeviceManager manager);
    }
}
