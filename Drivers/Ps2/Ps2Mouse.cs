using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// The mouse on the 8042's second port as an evdev-style input device: each 3-byte packet becomes REL_X/REL_Y
    /// (downwards positive, as evdev has it), BTN_LEFT/RIGHT/MIDDLE for the buttons that changed, and a
    /// SYN_REPORT. Packets whose motion overflowed keep their buttons and lose that axis' motion.
    /// </summary>
    /// <remarks>Not reentrant: one thread reads events (the interrupt handler only queues bytes).</remarks>
    public sealed class Ps2Mouse : IInputDevice
    {
        private static readonly ushort[] ButtonCodes = { InputEventTypes.ButtonLeft, InputEventTypes.ButtonRight, InputEventTypes.ButtonMiddle };

        private readonly I8042Controller _controller;
        private readonly Ps2MousePacketDecoder _decoder = new();
        private readonly Queue<InputEvent> _pending = new();
        private readonly string _transport;
        private int _buttons;

        /// <summary>The mouse behind <paramref name="controller"/>'s second port, reached as <paramref name="transport"/> says.</summary>
        public Ps2Mouse(I8042Controller controller, InterruptMode interruptMode, string transport)
        {
            _controller = controller ?? throw new ArgumentNullException(nameof(controller));
            InterruptMode = interruptMode;
            _transport = transport;
            controller.AuxBytesArrived = () => EventsArrived?.Invoke();
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Input;

        /// <inheritdoc />
        public string NameStem => "mouse";

        /// <inheritdoc />
        public string DriverName => "ps2-mouse";

        /// <inheritdoc />
        public string Transport => _transport;

        /// <inheritdoc />
        public InterruptMode InterruptMode { get; }

        /// <inheritdoc />
        public string DeviceName => "PS/2 mouse (i8042 port 2)";

        /// <inheritdoc />
        public InputDeviceKind Kind => InputDeviceKind.Mouse;

        /// <inheritdoc />
        public bool HasLeds => false;

        /// <inheritdoc />
        public Action? EventsArrived { get; set; }

        /// <inheritdoc />
        public long DroppedEvents => _decoder.DesynchronisedBytes + _controller.AuxBytes.Overruns;

        /// <summary>Packets whose motion overflowed (their motion was dropped).</summary>
        public long OverflowedPackets { get; private set; }

        /// <inheritdoc />
        public bool TryReadEvent(out InputEvent inputEvent)
        {
            if (_pending.Count == 0)
            {
                _controller.Poll();
                while (_pending.Count == 0 && _controller.AuxBytes.TryRead(out byte value))
                {
                    if (_decoder.Feed(value, out Ps2MousePacket packet))
                    {
                        Translate(packet);
                    }
                }
            }

            return _pending.TryDequeue(out inputEvent);
        }

        /// <inheritdoc />
        public InputAxisRange? GetAxisRange(int axis) => null;

        /// <inheritdoc />
        public bool SetLeds(KeyboardLeds leds) => false;

        private void Translate(Ps2MousePacket packet)
        {
            if (packet.Overflowed)
            {
                OverflowedPackets++;
            }

            if (packet.DeltaX != 0)
            {
                _pending.Enqueue(new InputEvent(InputEventTypes.Relative, InputEventTypes.AxisX, packet.DeltaX));
            }

            if (packet.DeltaY != 0)
            {
                _pending.Enqueue(new InputEvent(InputEventTypes.Relative, InputEventTypes.AxisY, packet.DeltaY));
            }

            int changed = packet.Buttons ^ _buttons;
            for (int bit = 0; bit < ButtonCodes.Length; bit++)
            {
                if ((changed & (1 << bit)) != 0)
                {
                    _pending.Enqueue(new InputEvent(InputEventTypes.Key, ButtonCodes[bit], (packet.Buttons >> bit) & 1));
                }
            }

            _buttons = packet.Buttons;
            if (_pending.Count > 0)
            {
                _pending.Enqueue(new InputEvent(InputEventTypes.Sync, 0, 0));
            }
        }
    }
}
