using System;
using System.Collections.Generic;

namespace Cosmos.System.Console.Keyboard
{
    /// <summary>
    /// Maps evdev key codes (Linux input-event-codes, as virtio-input sends them) and modifiers to characters
    /// for one keyboard layout. A layout lists its printable keys as rows of characters; keys that are not
    /// characters (Enter, arrows, function keys) are the same everywhere and handled by <see cref="KeyboardState"/>.
    /// Dead keys give their own spacing character (no composition).
    /// </summary>
    public abstract class KeyboardLayout
    {
        private readonly Dictionary<int, (char Plain, char Shift, char AltGr, char ShiftAltGr)> _keys = new();

        /// <summary>The layout's short name ("us", "gb", "de", "fr").</summary>
        public abstract string Name { get; }

        /// <summary>The layouts this kernel knows.</summary>
        public static IReadOnlyList<KeyboardLayout> All { get; } = new KeyboardLayout[] { new UsKeyboardLayout(), new GbKeyboardLayout(), new DeKeyboardLayout(), new FrKeyboardLayout() };

        /// <summary>The layout called <paramref name="name"/> (case-insensitive), or null.</summary>
        public static KeyboardLayout? Find(string name)
        {
            foreach (KeyboardLayout layout in All)
            {
                if (string.Equals(layout.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return layout;
                }
            }

            return null;
        }

        /// <summary>
        /// The character key <paramref name="keyCode"/> gives with these modifiers, or '\0' when it gives none.
        /// Caps Lock shifts letters only; AltGr picks the third level when the key has one.
        /// </summary>
        public char Map(int keyCode, bool shift, bool altGr, bool capsLock)
        {
            if (!_keys.TryGetValue(keyCode, out (char Plain, char Shift, char AltGr, char ShiftAltGr) key))
            {
                return '\0';
            }

            if (altGr)
            {
                return shift && key.ShiftAltGr != '\0' ? key.ShiftAltGr : key.AltGr;
            }

            bool shifted = shift;
            if (capsLock && char.IsLetter(key.Plain) && char.ToUpperInvariant(key.Plain) == key.Shift)
            {
                shifted = !shifted;
            }

            return shifted ? key.Shift : key.Plain;
        }

        /// <summary>
        /// Adds keys <paramref name="firstCode"/>, <paramref name="firstCode"/>+1, … with the characters at the same
        /// position of each level's string (a space in <paramref name="altGr"/> means none; a real space key is
        /// added by the base class).
        /// </summary>
        protected void Row(int firstCode, string plain, string shift, string altGr = "")
        {
            for (int i = 0; i < plain.Length; i++)
            {
                char third = i < altGr.Length && altGr[i] != ' ' ? altGr[i] : '\0';
                _keys[firstCode + i] = (plain[i], i < shift.Length ? shift[i] : plain[i], third, '\0');
            }
        }

        /// <summary>Adds or replaces one key.</summary>
        protected void Key(int code, char plain, char shift, char altGr = '\0')
        {
            _keys[code] = (plain, shift, altGr, '\0');
        }

        /// <summary>Adds the keys every layout shares: space and the numeric keypad's operators.</summary>
        protected void CommonKeys()
        {
            Key(KeyCodes.Space, ' ', ' ');
            Key(KeyCodes.KeypadAsterisk, '*', '*');
            Key(KeyCodes.KeypadMinus, '-', '-');
            Key(KeyCodes.KeypadPlus, '+', '+');
            Key(KeyCodes.KeypadSlash, '/', '/');
        }
    }

    /// <summary>US English (QWERTY).</summary>
    public sealed class UsKeyboardLayout : KeyboardLayout
    {
        /// <summary>Builds the table.</summary>
        public UsKeyboardLayout()
        {
            CommonKeys();
            Row(KeyCodes.Digit1, "1234567890-=", "!@#$%^&*()_+");
            Row(KeyCodes.Q, "qwertyuiop[]", "QWERTYUIOP{}");
            Row(KeyCodes.A, "asdfghjkl;'`", "ASDFGHJKL:\"~");
            Key(KeyCodes.Backslash, '\\', '|');
            Row(KeyCodes.Z, "zxcvbnm,./", "ZXCVBNM<>?");
            Key(KeyCodes.Key102nd, '\\', '|');
        }

        /// <inheritdoc />
        public override string Name => "us";
    }

    /// <summary>UK English (QWERTY, £ on Shift+3, " on Shift+2, # on the key left of Enter).</summary>
    public sealed class GbKeyboardLayout : KeyboardLayout
    {
        /// <summary>Builds the table.</summary>
        public GbKeyboardLayout()
        {
            CommonKeys();
            Row(KeyCodes.Digit1, "1234567890-=", "!\"£$%^&*()_+", "   €");
            Row(KeyCodes.Q, "qwertyuiop[]", "QWERTYUIOP{}", "  é   úíó");
            Row(KeyCodes.A, "asdfghjkl;'`", "ASDFGHJKL:@¬", "á          ¦");
            Key(KeyCodes.Backslash, '#', '~');
            Row(KeyCodes.Z, "zxcvbnm,./", "ZXCVBNM<>?");
            Key(KeyCodes.Key102nd, '\\', '|');
        }

        /// <inheritdoc />
        public override string Name => "gb";
    }

    /// <summary>German (QWERTZ, umlauts, AltGr for @ € braces and brackets).</summary>
    public sealed class DeKeyboardLayout : KeyboardLayout
    {
        /// <summary>Builds the table.</summary>
        public DeKeyboardLayout()
        {
            CommonKeys();
            Row(KeyCodes.Digit1, "1234567890ß´", "!\"§$%&/()=?`", " ²³   {[]}\\");
            Row(KeyCodes.Q, "qwertzuiopü+", "QWERTZUIOPÜ*", "@ €        ~");
            Row(KeyCodes.A, "asdfghjklöä^", "ASDFGHJKLÖÄ°");
            Key(KeyCodes.Backslash, '#', '\'');
            Row(KeyCodes.Z, "yxcvbnm,.-", "YXCVBNM;:_", "      µ");
            Key(KeyCodes.Key102nd, '<', '>', '|');
        }

        /// <inheritdoc />
        public override string Name => "de";
    }

    /// <summary>French (AZERTY: digits on Shift, accented letters unshifted, AltGr for ~ # { [ | ` \ ^ @ ] } €).</summary>
    public sealed class FrKeyboardLayout : KeyboardLayout
    {
        /// <summary>Builds the table.</summary>
        public FrKeyboardLayout()
        {
            CommonKeys();
            Row(KeyCodes.Digit1, "&é\"'(-è_çà)=", "1234567890°+", " ~#{[|`\\^@]}");
            Row(KeyCodes.Q, "azertyuiop^$", "AZERTYUIOP¨£", "  €        ¤");
            Row(KeyCodes.A, "qsdfghjklmù²", "QSDFGHJKLM%²");
            Key(KeyCodes.Backslash, '*', 'µ');
            Row(KeyCodes.Z, "wxcvbn,;:!", "WXCVBN?./§");
            Key(KeyCodes.Key102nd, '<', '>');
        }

        /// <inheritdoc />
        public override string Name => "fr";
    }
}
