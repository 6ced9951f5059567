namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>What became of an asynchronous virtio-blk submission.</summary>
    public enum VirtioBlockSubmitStatus
    {
        /// <summary>Posted; collect it with <see cref="VirtioBlockDevice.Complete"/> or <see cref="VirtioBlockDevice.TryComplete"/>.</summary>
        Submitted,

        /// <summary>Every request slot or descriptor is in use: complete an earlier request first.</summary>
        Busy,

        /// <summary>A write, discard or write-zeroes to a read-only device.</summary>
        ReadOnly,

        /// <summary>The device does not offer this request type (DISCARD, WRITE_ZEROES).</summary>
        Unsupported,

        /// <summary>The queue is broken (a lying device); nothing more can be posted.</summary>
        DeviceFailed,
    }
}
