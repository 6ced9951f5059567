namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// Register offsets of the modern PCI transport, named as VirtIO 1.2 §4.1.4 names them: the
    /// vendor capability layout (<c>virtio_pci_cap</c>), its cfg_type values, and the common
    /// configuration structure (<c>virtio_pci_common_cfg</c>, §4.1.4.3).
    /// </summary>
    internal static class VirtioPciModernRegisters
    {
        // struct virtio_pci_cap (§4.1.4), offsets inside the capability.
        public const int CapVendor = 0x00;
        public const int CapNext = 0x01;
        public const int CapLength = 0x02;
        public const int CapConfigType = 0x03;
        public const int CapBar = 0x04;
        public const int CapId = 0x05;
        public const int CapOffset = 0x08;
        public const int CapRegionLength = 0x0C;
        public const int CapMinimumLength = 0x10;

        // struct virtio_pci_notify_cap (§4.1.4.4): notify_off_multiplier follows the generic part.
        public const int NotifyCapMultiplier = 0x10;
        public const int NotifyCapMinimumLength = 0x14;

        /// <summary>PCI capability ID of vendor-specific capabilities, which VirtIO uses.</summary>
        public const byte PciCapabilityVendorSpecific = 0x09;

        /// <summary>Highest BAR number; 0x6–0x7 are reserved and such capabilities are ignored (§4.1.4.1).</summary>
        public const int HighestBar = 5;

        // cfg_type values (§4.1.4).
        public const byte CommonConfig = 1;
        public const byte NotifyConfig = 2;
        public const byte IsrConfig = 3;
        public const byte DeviceConfig = 4;
        public const byte PciConfig = 5;
        public const byte SharedMemoryConfig = 8;
        public const byte VendorConfig = 9;

        // struct virtio_pci_common_cfg (§4.1.4.3).
        public const ulong DeviceFeatureSelect = 0x00;
        public const ulong DeviceFeature = 0x04;
        public const ulong DriverFeatureSelect = 0x08;
        public const ulong DriverFeature = 0x0C;
        public const ulong ConfigMsixVector = 0x10;
        public const ulong NumQueues = 0x12;
        public const ulong DeviceStatus = 0x14;
        public const ulong ConfigGeneration = 0x15;
        public const ulong QueueSelect = 0x16;
        public const ulong QueueSize = 0x18;
        public const ulong QueueMsixVector = 0x1A;
        public const ulong QueueEnable = 0x1C;
        public const ulong QueueNotifyOff = 0x1E;
        public const ulong QueueDesc = 0x20;
        public const ulong QueueDriver = 0x28;
        public const ulong QueueDevice = 0x30;

        /// <summary>The common configuration up to and including queue_device (VirtIO 1.0 size).</summary>
        public const ulong CommonConfigMinimumLength = 0x38;

        /// <summary>Bytes written per notification: the le16 queue index (§4.1.5.2).</summary>
        public const ulong NotifyWidth = 2;

        /// <summary>VIRTIO_MSI_NO_VECTOR (§4.1.5.1.2).</summary>
        public const ushort NoVector = 0xFFFF;
    }
}
