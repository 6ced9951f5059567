using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>Names of <see cref="InterruptMode"/> values for descriptions (no reflection).</summary>
    public static class InterruptModeNames
    {
        /// <summary>"msi-x", "msi", "intx" or "polled".</summary>
        public static string Of(InterruptMode mode)
        {
            switch (mode)
            {
                case InterruptMode.MsiX: return "msi-x";
                case InterruptMode.Msi: return "msi";
                case InterruptMode.Intx: return "intx";
                default: return "polled";
            }
        }

        /// <summary>"msi-x ×3", "intx", "polled", or "not enabled" for null.</summary>
        public static string Describe(IInterruptSource? source)
        {
            if (source is null)
            {
                return "irq not enabled";
            }

            return source.Mode == InterruptMode.MsiX
                ? "irq msi-x x" + source.VectorCount.ToString()
                : "irq " + Of(source.Mode);
        }
    }
}
