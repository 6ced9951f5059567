using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>What the simulated device looks like.</summary>
    internal sealed class SimOptions
    {
        public const ulong DefaultFeatures = SimDevice.FeatureVersion1 | SimDevice.FeatureIndirect | SimDevice.FeatureEventIndex | 0b1011;

        /// <summary>VirtIO device type; the "null/echo" device uses an unassigned type so nothing else claims it.</summary>
        public ushort DeviceType { get; set; } = 2;

        public ulong Features { get; set; } = DefaultFeatures;

        public int QueueCount { get; set; } = 2;

        public int MaxQueueSize { get; set; } = 256;

        public int ConfigLength { get; set; } = 24;

        /// <summary>PCI: what the function's interrupt capability gives. MMIO: Intx means a wired line, Polled none.</summary>
        public InterruptMode Interrupts { get; set; } = InterruptMode.MsiX;

        public int MsixVectors { get; set; } = 8;

        public uint NotifyMultiplier { get; set; } = 4;
    }
}
