using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>An interrupt mode a <see cref="PciFunction"/> set up, which it can also tear down.</summary>
    public abstract class PciInterruptSource : IInterruptSource
    {
        /// <inheritdoc />
        public abstract InterruptMode Mode { get; }

        /// <inheritdoc />
        public abstract int VectorCount { get; }

        /// <summary>For listings: "msi-x 2 vectors 0x30,0x31", "intx irq 11 -> gsi 11 …".</summary>
        public abstract string Description { get; }

        /// <inheritdoc />
        public abstract void SetHandler(int index, System.Action handler);

        /// <summary>Stops the device interrupting this way and returns its vectors.</summary>
        internal abstract void Disable();

        /// <inheritdoc />
        public override string ToString() => Description;

        /// <summary>Throws unless 0 ≤ <paramref name="index"/> &lt; <see cref="VectorCount"/>.</summary>
        protected void CheckIndex(int index)
        {
            if ((uint)index >= (uint)VectorCount)
            {
                throw new System.ArgumentOutOfRangeException(nameof(index), index, $"{Description} has vectors 0-{VectorCount - 1}");
            }
        }
    }
}
