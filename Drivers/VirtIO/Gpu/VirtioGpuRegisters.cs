namespace Cosmos.Drivers.VirtIO.Gpu
{
    /// <summary>virtio-gpu constants (VirtIO 1.2 §5.7), named as the specification names them.</summary>
    internal static class VirtioGpuRegisters
    {
        // Feature bits (§5.7.3). Only EDID is used; VIRGL, blobs and contexts are 3D and never negotiated.
        public const ulong FeatureVirgl = 1UL << 0;
        public const ulong FeatureEdid = 1UL << 1;

        // Device configuration (§5.7.4): le32 each.
        public const int ConfigEventsRead = 0;
        public const int ConfigEventsClear = 4;
        public const int ConfigNumScanouts = 8;
        public const int ConfigLength = 16;
        public const uint EventDisplay = 1; // VIRTIO_GPU_EVENT_DISPLAY

        // Queues (§5.7.2).
        public const int ControlQueue = 0;
        public const int CursorQueue = 1;

        // §5.7.6.7: command types.
        public const uint CmdGetDisplayInfo = 0x0100;
        public const uint CmdResourceCreate2D = 0x0101;
        public const uint CmdResourceUnref = 0x0102;
        public const uint CmdSetScanout = 0x0103;
        public const uint CmdResourceFlush = 0x0104;
        public const uint CmdTransferToHost2D = 0x0105;
        public const uint CmdResourceAttachBacking = 0x0106;
        public const uint CmdResourceDetachBacking = 0x0107;
        public const uint CmdGetEdid = 0x010A;
        public const uint CmdUpdateCursor = 0x0300;
        public const uint CmdMoveCursor = 0x0301;

        // Response types.
        public const uint RespOkNoData = 0x1100;
        public const uint RespOkDisplayInfo = 0x1101;
        public const uint RespOkEdid = 0x1104;
        public const uint RespErrUnspec = 0x1200;
        public const uint RespErrOutOfMemory = 0x1201;
        public const uint RespErrInvalidScanoutId = 0x1202;
        public const uint RespErrInvalidResourceId = 0x1203;
        public const uint RespErrInvalidContextId = 0x1204;
        public const uint RespErrInvalidParameter = 0x1205;

        // struct virtio_gpu_ctrl_hdr: le32 type, le32 flags, le64 fence_id, le32 ctx_id, u8 ring_idx, u8 padding[3].
        public const int HeaderLength = 24;
        public const uint FlagFence = 1;

        // §5.7.6.8: 16 × {rect, le32 enabled, le32 flags} after the header.
        public const int MaxScanouts = 16;
        public const int DisplayOneLength = 24;
        public const int DisplayInfoLength = HeaderLength + (MaxScanouts * DisplayOneLength);

        // virtio_gpu_resp_edid: header, le32 size, le32 padding, u8 edid[1024].
        public const int EdidResponseLength = HeaderLength + 8 + 1024;
        public const int MaxEdidLength = 1024;

        // Body lengths (header included).
        public const int ResourceCreate2DLength = HeaderLength + 16;
        public const int SetScanoutLength = HeaderLength + 24;
        public const int ResourceFlushLength = HeaderLength + 24;
        public const int TransferToHost2DLength = HeaderLength + 32;
        public const int AttachBackingLength = HeaderLength + 8;
        public const int MemEntryLength = 16;
        public const int ResourceIdOnlyLength = HeaderLength + 8;
        public const int GetEdidLength = HeaderLength + 8;
        public const int UpdateCursorLength = HeaderLength + 32;

        // enum virtio_gpu_formats: memory byte order B, G, R, X (a little-endian 0xXXRRGGBB word), and B, G, R, A.
        public const uint FormatB8G8R8X8 = 2;
        public const uint FormatB8G8R8A8 = 1;

        // §5.7.6.9: the cursor image is a 64×64 resource.
        public const int CursorSize = 64;
    }
}
