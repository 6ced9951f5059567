namespace Cosmos.Drivers.VirtIO.Input
{
    /// <summary>virtio-input constants (VirtIO 1.2 §5.8), named as the specification names them.</summary>
    internal static class VirtioInputRegisters
    {
        // Queues (§5.8.2).
        public const int EventQueue = 0;
        public const int StatusQueue = 1;

        // struct virtio_input_config (§5.8.4): u8 select, u8 subsel, u8 size, u8 reserved[5], then a 128-byte union.
        public const int ConfigSelect = 0;
        public const int ConfigSubsel = 1;
        public const int ConfigSize = 2;
        public const int ConfigUnion = 8;
        public const int UnionLength = 128;

        // enum virtio_input_config_select.
        public const byte CfgUnset = 0x00;
        public const byte CfgIdName = 0x01;
        public const byte CfgIdSerial = 0x02;
        public const byte CfgIdDevids = 0x03;
        public const byte CfgPropBits = 0x10;
        public const byte CfgEvBits = 0x11;
        public const byte CfgAbsInfo = 0x12;

        // struct virtio_input_event: le16 type, le16 code, le32 value.
        public const int EventLength = 8;

        // evdev limits (Linux input-event-codes.h): codes above these are nonsense.
        public const int KeyMax = 0x2FF;
        public const int RelMax = 0x0F;
        public const int AbsMax = 0x3F;
        public const int LedMax = 0x0F;

        // Codes that decide the device's kind.
        public const int KeyA = 30;
        public const int LedNumLock = 0;
        public const int LedCapsLock = 1;
        public const int LedScrollLock = 2;
    }
}
