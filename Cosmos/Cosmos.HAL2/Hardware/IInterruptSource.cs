using System;

namespace Cosmos.HAL.Hardware
{
    /// <summary>How a device's interrupts reach the CPU.</summary>
    public enum InterruptMode
    {
        /// <summary>No interrupts: the driver polls.</summary>
        Polled,

        /// <summary>A legacy INTx line through the IOAPIC (possibly shared).</summary>
        Intx,

        /// <summary>MSI: one or more vectors written by the device as memory writes.</summary>
        Msi,

        /// <summary>MSI-X: a table of vectors, one per queue where possible.</summary>
        MsiX,
    }

    /// <summary>
    /// Interrupt delivery for one device: handlers by vector index. With MSI-X (and
    /// multiple-message MSI) each index is its own vector; with INTx or single-message MSI there
    /// is one, and the driver finds the cause (VirtIO's ISR register). Handlers run in interrupt
    /// context, with interrupts off: short, no blocking.
    /// </summary>
    public interface IInterruptSource
    {
        /// <summary>The mode in effect.</summary>
        InterruptMode Mode { get; }

        /// <summary>
        /// How many distinct vectors there are: 1 for INTx and single-message MSI, the number of
        /// messages for multiple-message MSI, the vectors granted for MSI-X, 0 when polled.
        /// </summary>
        int VectorCount { get; }

        /// <summary>Installs the handler for vector <paramref name="index"/> (0 ≤ index &lt; VectorCount).</summary>
        void SetHandler(int index, Action handler);
    }
}
