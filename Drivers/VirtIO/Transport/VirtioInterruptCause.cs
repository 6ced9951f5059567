using System;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// Why a device interrupted: the bits of the PCI ISR status (VirtIO 1.2 §4.1.4.5) and of the MMIO
    /// InterruptStatus register (§4.2.2), which share their meaning.
    /// </summary>
    [Flags]
    public enum VirtioInterruptCause : byte
    {
        /// <summary>Not this device (a shared INTx line) or a spurious interrupt.</summary>
        None = 0,

        /// <summary>A used buffer notification: some queue has new used buffers.</summary>
        UsedBuffer = 1,

        /// <summary>The device configuration changed.</summary>
        ConfigurationChange = 2,
    }
}
