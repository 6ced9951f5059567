namespace Cosmos.HAL
{
    /// <summary>The hardware abstraction layer: device classes and the device manager live here.</summary>
    public static class HalInfo
    {
        /// <summary>Name shown in boot banners.</summary>
        public const string Name = "Cosmos.HAL2";
    }
}
