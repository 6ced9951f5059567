namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// An input event with evdev meaning: <see cref="Type"/> is EV_SYN 0, EV_KEY 1, EV_REL 2, EV_ABS 3, EV_LED 0x11
    /// (<see cref="InputEventTypes"/>); <see cref="Code"/> is a key, button or axis code (Linux input-event-codes);
    /// <see cref="Value"/> is 1 down / 0 up / 2 repeat for keys, a delta for relative axes, a position for
    /// absolute ones. Events come in groups ended by an EV_SYN/SYN_REPORT.
    /// </summary>
    /// <param name="Type">The event type.</param>
    /// <param name="Code">The key, button or axis.</param>
    /// <param name="Value">What happened.</param>
    public readonly record struct InputEvent(ushort Type, ushort Code, int Value);

    /// <summary>What kind of input device it is, decided from the events it can send.</summary>
    public enum InputDeviceKind
    {
        /// <summary>Sends keys (EV_KEY with letter codes).</summary>
        Keyboard,

        /// <summary>Sends relative motion (EV_REL) and buttons.</summary>
        Mouse,

        /// <summary>Sends absolute positions (EV_ABS) and buttons: a tablet or touch screen.</summary>
        Tablet,

        /// <summary>None of the above.</summary>
        Other,
    }

    /// <summary>The keyboard lock lights.</summary>
    [System.Flags]
    public enum KeyboardLeds
    {
        /// <summary>All off.</summary>
        None = 0,

        /// <summary>Num Lock (LED_NUML 0).</summary>
        NumLock = 1,

        /// <summary>Caps Lock (LED_CAPSL 1).</summary>
        CapsLock = 2,

        /// <summary>Scroll Lock (LED_SCROLLL 2).</summary>
        ScrollLock = 4,
    }

    /// <summary>The range of an absolute axis (evdev input_absinfo).</summary>
    /// <param name="Minimum">Smallest value.</param>
    /// <param name="Maximum">Largest value.</param>
    /// <param name="Resolution">Units per millimetre (0: unknown).</param>
    public readonly record struct InputAxisRange(int Minimum, int Maximum, int Resolution);

    /// <summary>A keyboard, mouse or tablet.</summary>
    public interface IInputDevice : IDevice
    {
        /// <summary>The device's own name ("QEMU Virtio Keyboard").</summary>
        string DeviceName { get; }

        /// <summary>Keyboard, mouse or tablet.</summary>
        InputDeviceKind Kind { get; }

        /// <summary>Takes the next event if one is waiting (polls the device when it has no interrupts).</summary>
        bool TryReadEvent(out InputEvent inputEvent);

        /// <summary>The range of absolute axis <paramref name="axis"/> (ABS_X 0, ABS_Y 1), or null when the device has no such axis.</summary>
        InputAxisRange? GetAxisRange(int axis);

        /// <summary>True when the device can show lock lights (<see cref="SetLeds"/> reaches it).</summary>
        bool HasLeds { get; }

        /// <summary>Lights the lock lights in <paramref name="leds"/> and darkens the others; false when the device has none or refused.</summary>
        bool SetLeds(KeyboardLeds leds);

        /// <summary>Called from interrupt context when events arrive (never for a polled device): set a flag or wake a thread.</summary>
        System.Action? EventsArrived { get; set; }

        /// <summary>Malformed events the device sent and the driver dropped (a type or code out of range, a short buffer).</summary>
        long DroppedEvents { get; }
    }

    /// <summary>evdev event types and codes the kernel uses (Linux include/uapi/linux/input-event-codes.h).</summary>
    public static class InputEventTypes
    {
        /// <summary>EV_SYN: ends a group of events.</summary>
        public const ushort Sync = 0;

        /// <summary>EV_KEY: a key or button.</summary>
        public const ushort Key = 1;

        /// <summary>EV_REL: relative motion.</summary>
        public const ushort Relative = 2;

        /// <summary>EV_ABS: an absolute position.</summary>
        public const ushort Absolute = 3;

        /// <summary>EV_MSC: miscellaneous (scan codes).</summary>
        public const ushort Misc = 4;

        /// <summary>EV_LED: a lock light.</summary>
        public const ushort Led = 0x11;

        /// <summary>EV_REP: autorepeat settings.</summary>
        public const ushort Repeat = 0x14;

        /// <summary>Largest event type (EV_MAX).</summary>
        public const ushort Max = 0x1F;

        /// <summary>REL_X / ABS_X.</summary>
        public const ushort AxisX = 0;

        /// <summary>REL_Y / ABS_Y.</summary>
        public const ushort AxisY = 1;

        /// <summary>REL_WHEEL.</summary>
        public const ushort RelativeWheel = 8;

        /// <summary>BTN_LEFT.</summary>
        public const ushort ButtonLeft = 0x110;

        /// <summary>BTN_RIGHT.</summary>
        public const ushort ButtonRight = 0x111;

        /// <summary>BTN_MIDDLE.</summary>
        public const ushort ButtonMiddle = 0x112;
    }
}
