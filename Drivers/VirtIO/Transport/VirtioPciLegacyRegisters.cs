namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// The legacy PCI register block in I/O BAR0 (VirtIO 1.2 §4.1.4.8, "Legacy Interfaces: A Note on
    /// PCI Device Layout"). Device configuration follows at 0x14, or at 0x18 when MSI-X is enabled and
    /// the two vector registers take 0x14–0x17.
    /// </summary>
    internal static class VirtioPciLegacyRegisters
    {
        public const ulong DeviceFeatures = 0x00;
        public const ulong DriverFeatures = 0x04;
        public const ulong QueueAddress = 0x08;
        public const ulong QueueSize = 0x0C;
        public const ulong QueueSelect = 0x0E;
        public const ulong QueueNotify = 0x10;
        public const ulong DeviceStatus = 0x12;
        public const ulong IsrStatus = 0x13;
        public const ulong ConfigMsixVector = 0x14;
        public const ulong QueueMsixVector = 0x16;
        public const ulong DeviceConfig = 0x14;
        public const ulong DeviceConfigWithMsix = 0x18;

        /// <summary>The queue address register holds a 4096-byte page frame number (§4.1.4.8).</summary>
        public const int QueueAddressShift = 12;

        /// <summary>Queue Align of the legacy layout on PCI (§2.7.2).</summary>
        public const int QueueAlignment = 4096;

        /// <summary>VIRTIO_MSI_NO_VECTOR.</summary>
        public const ushort NoVector = 0xFFFF;
    }
}
