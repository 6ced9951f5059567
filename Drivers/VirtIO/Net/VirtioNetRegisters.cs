namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>virtio-net constants (VirtIO 1.2 §5.1), named as the specification names them.</summary>
    internal static class VirtioNetRegisters
    {
        // Feature bits (§5.1.3). Only those the driver implements are ever negotiated.
        public const ulong FeatureCsum = 1UL << 0;       // VIRTIO_NET_F_CSUM: the device completes partial transmit checksums
        public const ulong FeatureGuestCsum = 1UL << 1;  // VIRTIO_NET_F_GUEST_CSUM: received frames may carry partial checksums
        public const ulong FeatureMtu = 1UL << 3;        // VIRTIO_NET_F_MTU
        public const ulong FeatureMac = 1UL << 5;        // VIRTIO_NET_F_MAC
        public const ulong FeatureMrgRxbuf = 1UL << 15;  // VIRTIO_NET_F_MRG_RXBUF
        public const ulong FeatureStatus = 1UL << 16;    // VIRTIO_NET_F_STATUS

        // Device configuration layout (§5.1.4); legacy devices use guest (little) endianness here.
        public const int ConfigMac = 0;                  // u8[6]
        public const int ConfigStatus = 6;               // le16
        public const int ConfigMtu = 10;                 // le16
        public const int MacLength = 6;

        // config.status bits (§5.1.4).
        public const ushort StatusLinkUp = 1;

        // §5.1.4.1: the device sets mtu between 68 and 65535.
        public const int MinimumMtu = 68;
        public const int DefaultMtu = 1500;

        // Queues (§5.1.2): receiveq1 then transmitq1; no control queue (CTRL_VQ is not negotiated).
        public const int ReceiveQueue = 0;
        public const int TransmitQueue = 1;

        // struct virtio_net_hdr (§5.1.6): flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers.
        public const int HeaderFlags = 0;
        public const int HeaderGsoType = 1;
        public const int HeaderCsumStart = 6;
        public const int HeaderCsumOffset = 8;
        public const int HeaderNumBuffers = 10;

        // §5.1.6: 12 bytes with VERSION_1 or MRG_RXBUF; a legacy device without MRG_RXBUF omits num_buffers.
        public const int HeaderLength = 12;
        public const int LegacyHeaderLength = 10;

        public const byte FlagNeedsCsum = 1;             // VIRTIO_NET_HDR_F_NEEDS_CSUM
        public const byte FlagDataValid = 2;             // VIRTIO_NET_HDR_F_DATA_VALID
        public const byte GsoNone = 0;                   // VIRTIO_NET_HDR_GSO_NONE

        // Ethernet: destination, source, type; a frame may carry one 802.1Q tag on top of the MTU.
        public const int EthernetHeaderLength = 14;
        public const int VlanTagLength = 4;
    }
}
