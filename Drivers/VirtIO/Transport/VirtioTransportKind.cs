namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>Which of the three VirtIO transports (and which version of it) a device is reached through.</summary>
    public enum VirtioTransportKind
    {
        /// <summary>PCI with the VirtIO 1.x capabilities (common, notify, ISR, device configuration).</summary>
        PciModern,

        /// <summary>PCI through the legacy I/O BAR0 register block (VirtIO 1.2 §4.1.4.8).</summary>
        PciLegacy,

        /// <summary>Memory-mapped, legacy register layout (Version 1: GuestPageSize, QueuePFN).</summary>
        MmioV1,

        /// <summary>Memory-mapped, Version 2 register layout (VirtIO 1.2 §4.2.2).</summary>
        MmioV2,
    }
}
