using System;

namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>The ring features the core may negotiate for a device (VirtIO 1.2 §6).</summary>
    [Flags]
    public enum VirtqueueRingFeatures
    {
        /// <summary>Plain split rings only.</summary>
        None = 0,

        /// <summary>VIRTIO_F_INDIRECT_DESC when offered.</summary>
        IndirectDescriptors = 1,

        /// <summary>VIRTIO_F_EVENT_IDX when offered.</summary>
        EventIndex = 2,

        /// <summary>Everything the core implements (the default).</summary>
        All = IndirectDescriptors | EventIndex,
    }
}
