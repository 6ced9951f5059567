namespace Cosmos.System.Console.Keyboard
{
    /// <summary>evdev key codes (Linux include/uapi/linux/input-event-codes.h) the console handles by name.</summary>
    public static class KeyCodes
    {
        /// <summary>KEY_ESC.</summary>
        public const int Escape = 1;
        /// <summary>KEY_1; KEY_2..KEY_0, KEY_MINUS, KEY_EQUAL follow.</summary>
        public const int Digit1 = 2;
        /// <summary>KEY_BACKSPACE.</summary>
        public const int Backspace = 14;
        /// <summary>KEY_TAB.</summary>
        public const int Tab = 15;
        /// <summary>KEY_Q; the rest of the top letter row and two bracket keys follow.</summary>
        public const int Q = 16;
        /// <summary>KEY_ENTER.</summary>
        public const int Enter = 28;
        /// <summary>KEY_LEFTCTRL.</summary>
        public const int LeftCtrl = 29;
        /// <summary>KEY_A; the home row, KEY_APOSTROPHE and KEY_GRAVE follow.</summary>
        public const int A = 30;
        /// <summary>KEY_LEFTSHIFT.</summary>
        public const int LeftShift = 42;
        /// <summary>KEY_BACKSLASH.</summary>
        public const int Backslash = 43;
        /// <summary>KEY_Z; the bottom row follows.</summary>
        public const int Z = 44;
        /// <summary>KEY_RIGHTSHIFT.</summary>
        public const int RightShift = 54;
        /// <summary>KEY_KPASTERISK.</summary>
        public const int KeypadAsterisk = 55;
        /// <summary>KEY_LEFTALT.</summary>
        public const int LeftAlt = 56;
        /// <summary>KEY_SPACE.</summary>
        public const int Space = 57;
        /// <summary>KEY_CAPSLOCK.</summary>
        public const int CapsLock = 58;
        /// <summary>KEY_NUMLOCK.</summary>
        public const int NumLock = 69;
        /// <summary>KEY_SCROLLLOCK.</summary>
        public const int ScrollLock = 70;
        /// <summary>KEY_KP7.</summary>
        public const int Keypad7 = 71;
        /// <summary>KEY_KPMINUS.</summary>
        public const int KeypadMinus = 74;
        /// <summary>KEY_KPPLUS.</summary>
        public const int KeypadPlus = 78;
        /// <summary>KEY_KPDOT.</summary>
        public const int KeypadDot = 83;
        /// <summary>KEY_102ND: the extra key left of Z on ISO keyboards.</summary>
        public const int Key102nd = 86;
        /// <summary>KEY_KPENTER.</summary>
        public const int KeypadEnter = 96;
        /// <summary>KEY_RIGHTCTRL.</summary>
        public const int RightCtrl = 97;
        /// <summary>KEY_KPSLASH.</summary>
        public const int KeypadSlash = 98;
        /// <summary>KEY_RIGHTALT (AltGr).</summary>
        public const int RightAlt = 100;
        /// <summary>KEY_HOME.</summary>
        public const int Home = 102;
        /// <summary>KEY_UP.</summary>
        public const int Up = 103;
        /// <summary>KEY_PAGEUP.</summary>
        public const int PageUp = 104;
        /// <summary>KEY_LEFT.</summary>
        public const int Left = 105;
        /// <summary>KEY_RIGHT.</summary>
        public const int Right = 106;
        /// <summary>KEY_END.</summary>
        public const int End = 107;
        /// <summary>KEY_DOWN.</summary>
        public const int Down = 108;
        /// <summary>KEY_PAGEDOWN.</summary>
        public const int PageDown = 109;
        /// <summary>KEY_INSERT.</summary>
        public const int Insert = 110;
        /// <summary>KEY_DELETE.</summary>
        public const int Delete = 111;
    }
}
