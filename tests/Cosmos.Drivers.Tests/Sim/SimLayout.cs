namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>How the simulated device is attached.</summary>
    public enum SimLayout
    {
        /// <summary>Modern-only PCI device (ID 0x1040 + type), regions in BAR4 as QEMU does.</summary>
        PciModern,

        /// <summary>Transitional PCI device (ID 0x1000 range): legacy I/O BAR0 and modern capabilities.</summary>
        PciTransitional,

        /// <summary>Legacy-only PCI device: I/O BAR0, no capabilities.</summary>
        PciLegacy,

        /// <summary>MMIO Version 1 (QEMU's force-legacy=true default).</summary>
        MmioV1,

        /// <summary>MMIO Version 2.</summary>
        MmioV2,
    }
}
