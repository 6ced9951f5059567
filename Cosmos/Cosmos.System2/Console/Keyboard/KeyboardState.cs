using System;
using System.Text;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Console.Keyboard
{
    /// <summary>
    /// Turns key events into the bytes a terminal sends: characters through a <see cref="KeyboardLayout"/> in
    /// UTF-8, Ctrl+letter as control codes, Enter as CR, Backspace as DEL, arrows and editing keys as VT100
    /// escape sequences. Tracks Shift, Ctrl, Alt, AltGr and the three locks; a lock change is reported so the
    /// caller can light the keyboard's LEDs. Key repeat (value 2) types again; key up types nothing.
    /// </summary>
    public sealed class KeyboardState
    {
        private bool _leftShift, _rightShift, _leftCtrl, _rightCtrl, _alt, _altGr;

        /// <summary>A keyboard in <paramref name="layout"/> with Num Lock on.</summary>
        public KeyboardState(KeyboardLayout layout)
        {
            Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        }

        /// <summary>The layout characters come from.</summary>
        public KeyboardLayout Layout { get; set; }

        /// <summary>The lock states.</summary>
        public KeyboardLeds Locks { get; private set; } = KeyboardLeds.NumLock;

        /// <summary>True while a Shift key is held.</summary>
        public bool Shift => _leftShift || _rightShift;

        /// <summary>True while a Ctrl key is held.</summary>
        public bool Ctrl => _leftCtrl || _rightCtrl;

        /// <summary>
        /// Applies one EV_KEY event (<paramref name="value"/> 1 down, 0 up, 2 repeat) and returns the bytes it types
        /// (empty for modifiers, releases and keys without meaning). <paramref name="locksChanged"/> is true when a
        /// lock key toggled <see cref="Locks"/>.
        /// </summary>
        public byte[] Press(int keyCode, int value, out bool locksChanged)
        {
            locksChanged = false;
            bool down = value != 0;
            switch (keyCode)
            {
                case KeyCodes.LeftShift: _leftShift = down; return Array.Empty<byte>();
                case KeyCodes.RightShift: _rightShift = down; return Array.Empty<byte>();
                case KeyCodes.LeftCtrl: _leftCtrl = down; return Array.Empty<byte>();
                case KeyCodes.RightCtrl: _rightCtrl = down; return Array.Empty<byte>();
                case KeyCodes.LeftAlt: _alt = down; return Array.Empty<byte>();
                case KeyCodes.RightAlt: _altGr = down; return Array.Empty<byte>();
            }

            if (value != 1 && value != 2)
            {
                return Array.Empty<byte>();
            }

            switch (keyCode)
            {
                case KeyCodes.CapsLock: return Toggle(KeyboardLeds.CapsLock, value, out locksChanged);
                case KeyCodes.NumLock: return Toggle(KeyboardLeds.NumLock, value, out locksChanged);
                case KeyCodes.ScrollLock: return Toggle(KeyboardLeds.ScrollLock, value, out locksChanged);
                case KeyCodes.Enter:
                case KeyCodes.KeypadEnter: return new[] { (byte)'\r' };
                case KeyCodes.Backspace: return new byte[] { 0x7F };
                case KeyCodes.Tab: return new[] { (byte)'\t' };
                case KeyCodes.Escape: return new byte[] { 0x1B };
                case KeyCodes.Up: return Csi("A");
                case KeyCodes.Down: return Csi("B");
                case KeyCodes.Right: return Csi("C");
                case KeyCodes.Left: return Csi("D");
                case KeyCodes.Home: return Csi("H");
                case KeyCodes.End: return Csi("F");
                case KeyCodes.Insert: return Csi("2~");
                case KeyCodes.Delete: return Csi("3~");
                case KeyCodes.PageUp: return Csi("5~");
                case KeyCodes.PageDown: return Csi("6~");
            }

            if (keyCode >= KeyCodes.Keypad7 && keyCode <= KeyCodes.KeypadDot && keyCode != KeyCodes.KeypadMinus && keyCode != KeyCodes.KeypadPlus)
            {
                return Keypad(keyCode);
            }

            char c = Layout.Map(keyCode, Shift, _altGr || (_alt && Ctrl), (Locks & KeyboardLeds.CapsLock) != 0);
            if (c == '\0')
            {
                return Array.Empty<byte>();
            }

            if (Ctrl && !_altGr && !_alt)
            {
                char upper = char.ToUpperInvariant(c);
                return upper >= '@' && upper <= '_' ? new[] { (byte)(upper - '@') } : Array.Empty<byte>();
            }

            return Encoding.UTF8.GetBytes(c.ToString());
        }

        private byte[] Toggle(KeyboardLeds lockBit, int value, out bool locksChanged)
        {
            locksChanged = value == 1;
            if (locksChanged)
            {
                Locks ^= lockBit;
            }

            return Array.Empty<byte>();
        }

        // Keypad 7 8 9 - 4 5 6 + 1 2 3 0 . : digits with Num Lock, editing keys without.
        private byte[] Keypad(int keyCode)
        {
            const string digits = "789-456+1230.";
            char digit = digits[keyCode - KeyCodes.Keypad7];
            if ((Locks & KeyboardLeds.NumLock) != 0 && !Shift)
            {
                return new[] { (byte)digit };
            }

            return digit switch
            {
                '7' => Csi("H"),
                '8' => Csi("A"),
                '9' => Csi("5~"),
                '4' => Csi("D"),
                '6' => Csi("C"),
                '1' => Csi("F"),
                '2' => Csi("B"),
                '3' => Csi("6~"),
                '0' => Csi("2~"),
                '.' => Csi("3~"),
                _ => Array.Empty<byte>(),
            };
        }

        private static byte[] Csi(string tail) => Encoding.ASCII.GetBytes("\u001b[" + tail);
    }
}
