namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// The VirtIO device ID: what kind of device sits behind a transport (VirtIO 1.2 §5, "Device Types").
    /// Values not listed here are still representable (cast the number).
    /// </summary>
    public enum VirtioDeviceType : ushort
    {
        /// <summary>Reserved: an MMIO slot with no device, or an unknown PCI ID.</summary>
        Invalid = 0,

        /// <summary>Network card (virtio-net).</summary>
        Network = 1,

        /// <summary>Block device (virtio-blk).</summary>
        Block = 2,

        /// <summary>Console (virtio-console).</summary>
        Console = 3,

        /// <summary>Entropy source (virtio-rng).</summary>
        Entropy = 4,

        /// <summary>Traditional memory balloon.</summary>
        TraditionalBalloon = 5,

        /// <summary>SCSI host (virtio-scsi).</summary>
        Scsi = 8,

        /// <summary>9P transport.</summary>
        NineP = 9,

        /// <summary>GPU (virtio-gpu).</summary>
        Gpu = 16,

        /// <summary>Input device (virtio-input: keyboard, mouse, tablet).</summary>
        Input = 18,

        /// <summary>Socket device (vsock).</summary>
        Socket = 19,

        /// <summary>Crypto device.</summary>
        Crypto = 20,

        /// <summary>IOMMU device.</summary>
        Iommu = 23,

        /// <summary>Memory device (virtio-mem).</summary>
        Memory = 24,

        /// <summary>Sound device.</summary>
        Sound = 25,

        /// <summary>File system device (virtio-fs).</summary>
        FileSystem = 26,
    }
}
