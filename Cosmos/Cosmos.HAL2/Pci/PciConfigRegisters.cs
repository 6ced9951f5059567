namespace Cosmos.HAL.Pci
{
    /// <summary>Configuration-space offsets and bits, as PCI Local Bus 3.0 §6.1-6.2 and §6.7-6.8 name them.</summary>
    public static class PciConfigRegisters
    {
        /// <summary>Vendor ID (16 bits); 0xFFFF when no function answers.</summary>
        public const int VendorId = 0x00;

        /// <summary>Device ID.</summary>
        public const int DeviceId = 0x02;

        /// <summary>Command register.</summary>
        public const int Command = 0x04;

        /// <summary>Status register.</summary>
        public const int Status = 0x06;

        /// <summary>Revision ID.</summary>
        public const int RevisionId = 0x08;

        /// <summary>Programming interface.</summary>
        public const int ProgIf = 0x09;

        /// <summary>Subclass.</summary>
        public const int Subclass = 0x0A;

        /// <summary>Base class code.</summary>
        public const int ClassCode = 0x0B;

        /// <summary>Header type (bit 7: multi-function).</summary>
        public const int HeaderType = 0x0E;

        /// <summary>BAR 0; BAR n is at 0x10 + 4n.</summary>
        public const int Bar0 = 0x10;

        /// <summary>Type 1 (bridge) header: primary bus number.</summary>
        public const int PrimaryBus = 0x18;

        /// <summary>Type 1 header: secondary bus number (the bus behind the bridge).</summary>
        public const int SecondaryBus = 0x19;

        /// <summary>Type 1 header: highest bus number behind the bridge.</summary>
        public const int SubordinateBus = 0x1A;

        /// <summary>Type 0 header: subsystem vendor ID.</summary>
        public const int SubsystemVendorId = 0x2C;

        /// <summary>Type 0 header: subsystem ID.</summary>
        public const int SubsystemId = 0x2E;

        /// <summary>Capabilities pointer (types 0 and 1).</summary>
        public const int CapabilitiesPointer = 0x34;

        /// <summary>Interrupt line: the IRQ firmware routed INTx to (0xFF: none).</summary>
        public const int InterruptLine = 0x3C;

        /// <summary>Interrupt pin: 1-4 for INTA-INTD, 0 for none.</summary>
        public const int InterruptPin = 0x3D;

        /// <summary>Command: respond to I/O space accesses.</summary>
        public const ushort CommandIoSpace = 1 << 0;

        /// <summary>Command: respond to memory space accesses.</summary>
        public const ushort CommandMemorySpace = 1 << 1;

        /// <summary>Command: may master the bus (DMA, and MSI writes).</summary>
        public const ushort CommandBusMaster = 1 << 2;

        /// <summary>Command: INTx assertion disabled.</summary>
        public const ushort CommandInterruptDisable = 1 << 10;

        /// <summary>Status: a capability list is present.</summary>
        public const ushort StatusCapabilitiesList = 1 << 4;

        /// <summary>Capability ID of MSI.</summary>
        public const byte CapabilityMsi = 0x05;

        /// <summary>Capability ID of a vendor-specific capability (VirtIO's structures).</summary>
        public const byte CapabilityVendor = 0x09;

        /// <summary>Capability ID of PCI Express.</summary>
        public const byte CapabilityPciExpress = 0x10;

        /// <summary>Capability ID of MSI-X.</summary>
        public const byte CapabilityMsiX = 0x11;
    }
}
