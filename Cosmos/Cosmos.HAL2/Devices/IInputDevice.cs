namespace Cosmos.HAL.Devices
{
    /// <summary>An input event with evdev meaning (type EV_KEY 1, EV_REL 2, EV_ABS 3, EV_SYN 0).</summary>
    public readonly record struct InputEvent(ushort Type, ushort Code, int Value);

    /// <summary>A keyboard, mouse or tablet.</summary>
    public interface IInputDevice : IDevice
    {
        /// <summary>The device's own name ("QEMU Virtio Keyboard").</summary>
        string DeviceName { get; }

        /// <summary>Takes the next event if one is waiting.</summary>
        bool TryReadEvent(out InputEvent inputEvent);
    }
}
