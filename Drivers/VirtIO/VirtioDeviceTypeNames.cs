namespace Cosmos.Drivers.VirtIO
{
    /// <summary>Short names for <see cref="VirtioDeviceType"/> values, for logs and <c>lsdev</c> (no reflection).</summary>
    public static class VirtioDeviceTypeNames
    {
        /// <summary>"blk", "net", "gpu", … or "type 42" for a type this table does not know.</summary>
        public static string ShortName(VirtioDeviceType type)
        {
            switch (type)
            {
                case VirtioDeviceType.Network: return "net";
                case VirtioDeviceType.Block: return "blk";
                case VirtioDeviceType.Console: return "console";
                case VirtioDeviceType.Entropy: return "rng";
                case VirtioDeviceType.TraditionalBalloon: return "balloon";
                case VirtioDeviceType.Scsi: return "scsi";
                case VirtioDeviceType.NineP: return "9p";
                case VirtioDeviceType.Gpu: return "gpu";
                case VirtioDeviceType.Input: return "input";
                case VirtioDeviceType.Socket: return "vsock";
                case VirtioDeviceType.Crypto: return "crypto";
                case VirtioDeviceType.Iommu: return "iommu";
                case VirtioDeviceType.Memory: return "mem";
                case VirtioDeviceType.Sound: return "sound";
                case VirtioDeviceType.FileSystem: return "fs";
                default: return "type " + ((int)type).ToString();
            }
        }

        /// <summary>The name errors and logs start with: "virtio-blk", "virtio-net", "virtio-type 42".</summary>
        public static string DriverName(VirtioDeviceType type) => "virtio-" + ShortName(type);
    }
}
