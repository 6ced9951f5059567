using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Devices
{
    /// <summary>The kind of a device, which decides the subsystem it registers with.</summary>
    public enum DeviceClass
    {
        /// <summary>A disk: storage, partitions, file systems.</summary>
        Block,

        /// <summary>A network interface: the IP stack.</summary>
        Network,

        /// <summary>A keyboard, mouse or tablet: the console.</summary>
        Input,

        /// <summary>A display: the framebuffer console.</summary>
        Display,

        /// <summary>Anything else (listed, not used by a subsystem).</summary>
        Other,
    }

    /// <summary>
    /// A device a driver made ready. The device manager gives it its stable name
    /// (<see cref="NameStem"/> plus a letter for disks, a number otherwise: vda, eth0, kbd0, fb0).
    /// </summary>
    public interface IDevice
    {
        /// <summary>Its class.</summary>
        DeviceClass Class { get; }

        /// <summary>The start of its name: "vd", "sd", "eth", "kbd", "mouse", "tablet", "fb".</summary>
        string NameStem { get; }

        /// <summary>The driver that runs it ("virtio-blk").</summary>
        string DriverName { get; }

        /// <summary>How it is reached, for listings ("virtio-pci modern 0000:00:04.0").</summary>
        string Transport { get; }

        /// <summary>How its interrupts arrive.</summary>
        InterruptMode InterruptMode { get; }
    }
}
