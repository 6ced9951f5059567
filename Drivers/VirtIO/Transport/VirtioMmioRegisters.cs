namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// The MMIO transport's registers (VirtIO 1.2 §4.2.2, and §4.2.4 for the Version 1 "legacy"
    /// registers GuestPageSize, QueueAlign and QueuePFN), named as the specification names them.
    /// </summary>
    internal static class VirtioMmioRegisters
    {
        public const ulong MagicValue = 0x000;
        public const ulong Version = 0x004;
        public const ulong DeviceId = 0x008;
        public const ulong VendorId = 0x00C;
        public const ulong DeviceFeatures = 0x010;
        public const ulong DeviceFeaturesSel = 0x014;
        public const ulong DriverFeatures = 0x020;
        public const ulong DriverFeaturesSel = 0x024;
        public const ulong GuestPageSize = 0x028;
        public const ulong QueueSel = 0x030;
        public const ulong QueueNumMax = 0x034;
        public const ulong QueueNum = 0x038;
        public const ulong QueueAlign = 0x03C;
        public const ulong QueuePfn = 0x040;
        public const ulong QueueReady = 0x044;
        public const ulong QueueNotify = 0x050;
        public const ulong InterruptStatus = 0x060;
        public const ulong InterruptAck = 0x064;
        public const ulong Status = 0x070;
        public const ulong QueueDescLow = 0x080;
        public const ulong QueueDriverLow = 0x090;
        public const ulong QueueDeviceLow = 0x0A0;
        public const ulong ConfigGeneration = 0x0FC;
        public const ulong Config = 0x100;

        /// <summary>"virt" read as a little-endian 32-bit value.</summary>
        public const uint Magic = 0x74726976;

        /// <summary>The page size the driver tells a Version 1 device, and its queue alignment (§4.2.4).</summary>
        public const int LegacyPageSize = 4096;

        /// <summary>log2 of <see cref="LegacyPageSize"/>: QueuePFN is the queue address shifted by it.</summary>
        public const int LegacyPageShift = 12;
    }
}
