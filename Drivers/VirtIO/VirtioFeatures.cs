namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// The transport- and queue-level feature bits (VirtIO 1.2 §6, "Reserved Feature Bits") and the
    /// ranges the specification gives to device types (§2.2).
    /// </summary>
    public static class VirtioFeatures
    {
        /// <summary>Legacy: notify even when the avail ring is empty (bit 24).</summary>
        public const ulong NotifyOnEmpty = 1UL << 24;

        /// <summary>Legacy: the device makes no assumption about message framing (bit 27).</summary>
        public const ulong AnyLayout = 1UL << 27;

        /// <summary>VIRTIO_F_INDIRECT_DESC: descriptors may point to tables of descriptors (bit 28).</summary>
        public const ulong IndirectDescriptors = 1UL << 28;

        /// <summary>VIRTIO_F_EVENT_IDX: used_event / avail_event notification suppression (bit 29).</summary>
        public const ulong EventIndex = 1UL << 29;

        /// <summary>VIRTIO_F_VERSION_1: the device complies with VirtIO 1.x; a driver must accept it when offered (bit 32).</summary>
        public const ulong Version1 = 1UL << 32;

        /// <summary>VIRTIO_F_ACCESS_PLATFORM: the device sits behind an IOMMU or similar (bit 33).</summary>
        public const ulong AccessPlatform = 1UL << 33;

        /// <summary>VIRTIO_F_RING_PACKED: packed virtqueues (bit 34; not implemented here).</summary>
        public const ulong RingPacked = 1UL << 34;

        /// <summary>VIRTIO_F_IN_ORDER: buffers are used in the order they were made available (bit 35; not used here).</summary>
        public const ulong InOrder = 1UL << 35;

        /// <summary>VIRTIO_F_ORDER_PLATFORM: memory accesses need platform ordering (bit 36).</summary>
        public const ulong OrderPlatform = 1UL << 36;

        /// <summary>VIRTIO_F_SR_IOV (bit 37).</summary>
        public const ulong SrIov = 1UL << 37;

        /// <summary>VIRTIO_F_NOTIFICATION_DATA: notifications carry ring positions (bit 38; not used here).</summary>
        public const ulong NotificationData = 1UL << 38;

        /// <summary>VIRTIO_F_NOTIF_CONFIG_DATA (bit 39; not used here).</summary>
        public const ulong NotifConfigData = 1UL << 39;

        /// <summary>VIRTIO_F_RING_RESET: individual queues can be reset (bit 40; not used here).</summary>
        public const ulong RingReset = 1UL << 40;

        /// <summary>
        /// Bits a device type defines for itself: 0 to 23 and 50 to 63 (§2.2). A driver's own
        /// features must come from here; the core decides every reserved bit.
        /// </summary>
        public const ulong DeviceSpecificMask = 0x0000_0000_00FF_FFFFUL | 0xFFFC_0000_0000_0000UL;

        /// <summary>Reserved bits a driver may ask for and the core passes through unchanged.</summary>
        public const ulong DriverRequestableReserved = AccessPlatform | OrderPlatform;

        /// <summary>True when every bit of <paramref name="feature"/> is set in <paramref name="features"/>.</summary>
        public static bool Has(ulong features, ulong feature) => (features & feature) == feature;
    }
}
