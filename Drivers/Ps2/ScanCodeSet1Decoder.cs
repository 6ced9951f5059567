namespace Cosmos.Drivers.Ps2
{
    /// <summary>What one byte of a keyboard stream amounted to.</summary>
    public enum ScanCodeOutcome
    {
        /// <summary>Part of a longer sequence (a 0xE0 or 0xE1 prefix): nothing yet.</summary>
        Incomplete,

        /// <summary>A key went down or up: <see cref="KeyTransition"/> says which.</summary>
        Key,

        /// <summary>A key that sends no break code (Pause): down and, at once, up.</summary>
        KeyPressedAndReleased,

        /// <summary>Nothing to report: an answer to a command (ACK, resend, echo) or a "fake shift" the keyboard adds around some extended keys.</summary>
        Ignored,

        /// <summary>A code no key has, or the keyboard's error/overrun code: dropped and counted by the caller.</summary>
        Unknown,
    }

    /// <summary>A key change in evdev terms: the Linux key code (input-event-codes.h) and whether it went down.</summary>
    /// <param name="Code">The evdev key code (KEY_A is 30).</param>
    /// <param name="Pressed">True for down (make), false for up (break).</param>
    public readonly record struct KeyTransition(ushort Code, bool Pressed);

    /// <summary>
    /// Turns the bytes of a keyboard in scan code set 2 behind a translating 8042 — that is, set 1 as the
    /// controller delivers it — into evdev key codes, the codes the virtio keyboard sends, so the console's
    /// layouts take both. Set 1 facts: a key's make code has bit 7 clear and its break code is the same code
    /// with bit 7 set; 0xE0 prefixes the extended keys; Pause sends E1 1D 45 E1 9D C5 and no break; Print
    /// Screen and the navigation block wrap their codes in "fake shifts" (E0 2A / E0 AA, E0 36 / E0 B6).
    /// Codes 0x01-0x53 and 0x56-0x58 have the same numbers as their evdev key codes (evdev was numbered
    /// after set 1), so only the extended keys need a table.
    /// </summary>
    public sealed class ScanCodeSet1Decoder
    {
        /// <summary>KEY_PAUSE.</summary>
        public const ushort KeyPause = 119;

        private const byte ExtendedPrefix = 0xE0, PausePrefix = 0xE1, BreakBit = 0x80;

        // evdev codes of the E0-prefixed make codes (index: the code without the prefix); 0 where no key.
        private static readonly ushort[] Extended = BuildExtendedTable();

        private bool _extended;
        private int _pauseBytesLeft;
        private bool _pauseIsMake;

        /// <summary>Feeds one byte; on <see cref="ScanCodeOutcome.Key"/> and <see cref="ScanCodeOutcome.KeyPressedAndReleased"/> <paramref name="transition"/> holds the key.</summary>
        public ScanCodeOutcome Feed(byte value, out KeyTransition transition)
        {
            transition = default;
            if (_pauseBytesLeft > 0)
            {
                // E1 1D 45 (make) or E1 9D C5 (its break half): the first byte after E1 says which.
                if (_pauseBytesLeft == 2)
                {
                    _pauseIsMake = value == 0x1D;
                }

                _pauseBytesLeft--;
                if (_pauseBytesLeft > 0)
                {
                    return ScanCodeOutcome.Incomplete;
                }

                if (!_pauseIsMake)
                {
                    return ScanCodeOutcome.Ignored;
                }

                transition = new KeyTransition(KeyPause, true);
                return ScanCodeOutcome.KeyPressedAndReleased;
            }

            switch (value)
            {
                case ExtendedPrefix:
                    _extended = true;
                    return ScanCodeOutcome.Incomplete;
                case PausePrefix:
                    _extended = false;
                    _pauseBytesLeft = 2;
                    return ScanCodeOutcome.Incomplete;
                case I8042Registers.DeviceAck:
                case I8042Registers.DeviceResend:
                case I8042Registers.KeyboardEcho:
                    _extended = false;
                    return ScanCodeOutcome.Ignored;
                case I8042Registers.KeyboardError0:
                case I8042Registers.KeyboardError1:
                    _extended = false;
                    return ScanCodeOutcome.Unknown;
            }

            bool extended = _extended;
            _extended = false;
            bool pressed = (value & BreakBit) == 0;
            int code = value & ~BreakBit;
            ushort key;
            if (extended)
            {
                if (code == 0x2A || code == 0x36)
                {
                    return ScanCodeOutcome.Ignored; // fake shifts
                }

                key = Extended[code];
            }
            else
            {
                key = code is (>= 0x01 and <= 0x53) or (>= 0x56 and <= 0x58) ? (ushort)code : (ushort)0;
            }

            if (key == 0)
            {
                return ScanCodeOutcome.Unknown;
            }

            transition = new KeyTransition(key, pressed);
            return ScanCodeOutcome.Key;
        }

        private static ushort[] BuildExtendedTable()
        {
            var table = new ushort[128];
            table[0x1C] = 96;  // KEY_KPENTER
            table[0x1D] = 97;  // KEY_RIGHTCTRL
            table[0x20] = 113; // KEY_MUTE
            table[0x2E] = 114; // KEY_VOLUMEDOWN
            table[0x30] = 115; // KEY_VOLUMEUP
            table[0x35] = 98;  // KEY_KPSLASH
            table[0x37] = 99;  // KEY_SYSRQ (Print Screen)
            table[0x38] = 100; // KEY_RIGHTALT (AltGr)
            table[0x47] = 102; // KEY_HOME
            table[0x48] = 103; // KEY_UP
            table[0x49] = 104; // KEY_PAGEUP
            table[0x4B] = 105; // KEY_LEFT
            table[0x4D] = 106; // KEY_RIGHT
            table[0x4F] = 107; // KEY_END
            table[0x50] = 108; // KEY_DOWN
            table[0x51] = 109; // KEY_PAGEDOWN
            table[0x52] = 110; // KEY_INSERT
            table[0x53] = 111; // KEY_DELETE
            table[0x5B] = 125; // KEY_LEFTMETA
            table[0x5C] = 126; // KEY_RIGHTMETA
            table[0x5D] = 127; // KEY_COMPOSE (menu)
            table[0x5E] = 116; // KEY_POWER
            table[0x5F] = 142; // KEY_SLEEP
            table[0x63] = 143; // KEY_WAKEUP
            return table;
        }
    }
}
