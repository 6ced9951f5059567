using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Console;

namespace Cosmos.System.Tests.Console
{
    /// <summary>A relative mouse whose moves the test feeds straight into an <see cref="InputHub"/>.</summary>
    internal sealed class FakeMouse : IInputDevice
    {
        public DeviceClass Class => DeviceClass.Input;

        public string NameStem => "mouse";

        public string DriverName => "fake";

        public string Transport => "memory";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public string DeviceName => "fake mouse";

        public InputDeviceKind Kind => InputDeviceKind.Mouse;

        public bool HasLeds => false;

        public long DroppedEvents => 0;

        public Action? EventsArrived { get; set; }

        public bool TryReadEvent(out InputEvent inputEvent)
        {
            inputEvent = default;
            return false;
        }

        public InputAxisRange? GetAxisRange(int axis) => null;

        public bool SetLeds(KeyboardLeds leds) => false;

        /// <summary>One report: REL_X, REL_Y, SYN.</summary>
        public void Move(InputHub hub, int dx, int dy)
        {
            hub.Feed("mouse0", this, new InputEvent(InputEventTypes.Relative, InputEventTypes.AxisX, dx));
            hub.Feed("mouse0", this, new InputEvent(InputEventTypes.Relative, InputEventTypes.AxisY, dy));
            hub.Feed("mouse0", this, new InputEvent(InputEventTypes.Sync, 0, 0));
        }
    }
}
