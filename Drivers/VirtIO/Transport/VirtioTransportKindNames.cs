namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>Names of <see cref="VirtioTransportKind"/> values for <c>lsdev</c> and errors (no reflection).</summary>
    public static class VirtioTransportKindNames
    {
        /// <summary>"pci-modern", "pci-legacy", "mmio-v1" or "mmio-v2".</summary>
        public static string Of(VirtioTransportKind kind)
        {
            switch (kind)
            {
                case VirtioTransportKind.PciModern: return "pci-modern";
                case VirtioTransportKind.PciLegacy: return "pci-legacy";
                case VirtioTransportKind.MmioV1: return "mmio-v1";
                default: return "mmio-v2";
            }
        }
    }
}
