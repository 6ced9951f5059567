using Xunit;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>Theory data: every transport layout, or those with a given property.</summary>
    public static class Layouts
    {
        public static TheoryData<SimLayout> All => new()
        {
            SimLayout.PciModern,
            SimLayout.PciTransitional,
            SimLayout.PciLegacy,
            SimLayout.MmioV1,
            SimLayout.MmioV2,
        };

        /// <summary>Layouts whose device speaks VirtIO 1.x (FEATURES_OK, config generation, VERSION_1).</summary>
        public static TheoryData<SimLayout> Modern => new()
        {
            SimLayout.PciModern,
            SimLayout.PciTransitional,
            SimLayout.MmioV2,
        };

        /// <summary>Layouts driven through a legacy interface.</summary>
        public static TheoryData<SimLayout> Legacy => new()
        {
            SimLayout.PciLegacy,
            SimLayout.MmioV1,
        };
    }
}
