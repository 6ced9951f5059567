namespace Cosmos.Drivers.VirtIO.Gpu
{
    /// <summary>A mode a virtio-gpu scanout offers, and where the driver learnt it.</summary>
    /// <param name="Scanout">The scanout index (0 to 15).</param>
    /// <param name="Width">Width in pixels.</param>
    /// <param name="Height">Height in pixels.</param>
    /// <param name="Source">"edid", "display-info" or "default".</param>
    public sealed record VirtioGpuDisplayMode(int Scanout, int Width, int Height, string Source);
}
