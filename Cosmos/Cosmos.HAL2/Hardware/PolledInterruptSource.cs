using System;

namespace Cosmos.HAL.Hardware
{
    /// <summary>No interrupts: the driver polls. Has no vectors, so <see cref="SetHandler"/> always throws.</summary>
    public sealed class PolledInterruptSource : IInterruptSource
    {
        /// <summary>Why the device is polled (for listings), e.g. "no MSI-X, MSI or INTx pin".</summary>
        public PolledInterruptSource(string reason) => Reason = reason;

        /// <summary>Why there are no interrupts.</summary>
        public string Reason { get; }

        /// <inheritdoc />
        public InterruptMode Mode => InterruptMode.Polled;

        /// <inheritdoc />
        public int VectorCount => 0;

        /// <inheritdoc />
        public void SetHandler(int index, Action handler) =>
            throw new ArgumentOutOfRangeException(nameof(index), index, "a polled device has no interrupt vectors");

        /// <inheritdoc />
        public override string ToString() => "polled (" + Reason + ")";
    }
}
