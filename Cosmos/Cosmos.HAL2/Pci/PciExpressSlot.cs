using System;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// The hot-plug slot of a PCI Express root or downstream port: its capabilities, its status events and the two
    /// commands a hot-plug driver gives, power on and power off (PCI Express Base 4.0 §7.5.3.9-11, §6.7). The
    /// registers live in the port's PCI Express capability.
    /// </summary>
    public sealed class PciExpressSlot
    {
        // Offsets inside the PCI Express capability (§7.5.3).
        private const int CapabilitiesRegister = 0x02;
        private const int SlotCapabilitiesRegister = 0x14;
        private const int SlotControlRegister = 0x18;
        private const int SlotStatusRegister = 0x1A;

        private const ushort SlotImplemented = 1 << 8;

        /// <summary>Slot Capabilities: Power Controller Present.</summary>
        public const uint CapabilityPowerController = 1 << 1;

        /// <summary>Slot Capabilities: Hot-Plug Surprise (the card may go without warning).</summary>
        public const uint CapabilityHotplugSurprise = 1 << 5;

        /// <summary>Slot Capabilities: Hot-Plug Capable.</summary>
        public const uint CapabilityHotplug = 1 << 6;

        /// <summary>Slot Status: Attention Button Pressed.</summary>
        public const ushort AttentionButtonPressed = 1 << 0;

        /// <summary>Slot Status: Power Fault Detected.</summary>
        public const ushort PowerFaultDetected = 1 << 1;

        /// <summary>Slot Status: MRL Sensor Changed.</summary>
        public const ushort MrlSensorChanged = 1 << 2;

        /// <summary>Slot Status: Presence Detect Changed.</summary>
        public const ushort PresenceDetectChanged = 1 << 3;

        /// <summary>Slot Status: Command Completed.</summary>
        public const ushort CommandCompleted = 1 << 4;

        /// <summary>Slot Status: Presence Detect State (a card is in the slot).</summary>
        public const ushort PresenceDetectState = 1 << 6;

        /// <summary>Slot Status: Data Link Layer State Changed.</summary>
        public const ushort DataLinkLayerStateChanged = 1 << 8;

        /// <summary>The event bits of Slot Status, each cleared by writing 1 (RW1C).</summary>
        public const ushort EventBits = AttentionButtonPressed | PowerFaultDetected | MrlSensorChanged | PresenceDetectChanged
            | CommandCompleted | DataLinkLayerStateChanged;

        // Slot Control fields (§7.5.3.10): Power Indicator Control 9:8 (01 on, 10 blink, 11 off), Power Controller
        // Control 10 (1 = off), and the event enables 5:0 and 12 this driver leaves off: it polls.
        private const ushort PowerIndicatorMask = 3 << 8;
        private const ushort PowerIndicatorOn = 1 << 8;
        private const ushort PowerIndicatorOff = 3 << 8;
        private const ushort PowerControllerOff = 1 << 10;

        private readonly IPciConfigSpace _config;
        private readonly int _capability;

        private PciExpressSlot(PciFunction port, int capability, uint capabilities)
        {
            Port = port;
            _config = port.Config;
            _capability = capability;
            Capabilities = capabilities;
            Number = (int)(capabilities >> 19);
        }

        /// <summary>The root or downstream port the slot hangs off.</summary>
        public PciFunction Port { get; }

        /// <summary>The Slot Capabilities register as read at discovery.</summary>
        public uint Capabilities { get; }

        /// <summary>The physical slot number (Slot Capabilities 31:19), for messages.</summary>
        public int Number { get; }

        /// <summary>True when software switches the slot's power (otherwise it is on whenever a card is in).</summary>
        public bool HasPowerController => (Capabilities & CapabilityPowerController) != 0;

        /// <summary>The bus the slot's card appears on: the port's secondary bus.</summary>
        public byte Bus => Port.SecondaryBus;

        /// <summary>Slot Status now.</summary>
        public ushort ReadStatus() => _config.Read16(_capability + SlotStatusRegister);

        /// <summary>Slot Control now.</summary>
        public ushort ReadControl() => _config.Read16(_capability + SlotControlRegister);

        /// <summary>True when a card is in the slot.</summary>
        public bool IsOccupied => (ReadStatus() & PresenceDetectState) != 0;

        /// <summary>True when the slot's power is on (always, without a power controller).</summary>
        public bool IsPowered => !HasPowerController || (ReadControl() & PowerControllerOff) == 0;

        /// <summary>Clears the events in <paramref name="events"/> (RW1C); other bits are written 0 and keep their values.</summary>
        public void ClearEvents(ushort events) => _config.Write16(_capability + SlotStatusRegister, (ushort)(events & EventBits));

        /// <summary>Powers the slot and lights its power indicator (§6.7.1.8: one command).</summary>
        public void PowerOn()
        {
            ushort control = ReadControl();
            WriteControl((ushort)((control & ~(PowerIndicatorMask | PowerControllerOff)) | PowerIndicatorOn));
        }

        /// <summary>Turns the slot's power and its indicator off: the card may now be pulled (QEMU then unplugs it).</summary>
        public void PowerOff()
        {
            ushort control = ReadControl();
            WriteControl((ushort)((control & ~PowerIndicatorMask) | PowerIndicatorOff | PowerControllerOff));
        }

        /// <summary>
        /// The hot-plug slot of <paramref name="port"/>, or null when it is not a PCI Express port with a slot that
        /// supports hot-plug.
        /// </summary>
        public static PciExpressSlot? Find(PciFunction port)
        {
            ArgumentNullException.ThrowIfNull(port);
            if (!port.IsBridge || port.FindCapability(PciConfigRegisters.CapabilityPciExpress) is not PciCapability express)
            {
                return null;
            }

            ushort flags = port.Config.Read16(express.Offset + CapabilitiesRegister);
            if ((flags & SlotImplemented) == 0)
            {
                return null;
            }

            uint capabilities = port.Config.Read32(express.Offset + SlotCapabilitiesRegister);
            return (capabilities & CapabilityHotplug) == 0 ? null : new PciExpressSlot(port, express.Offset, capabilities);
        }

        private void WriteControl(ushort value) => _config.Write16(_capability + SlotControlRegister, value);

        /// <inheritdoc />
        public override string ToString() => $"slot {Number} ({Port.Address})";
    }
}
