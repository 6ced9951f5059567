using System;
using System.Collections.Generic;
using System.Threading;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.Ps2.I8042Registers;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// The keyboard on the 8042's first port as an evdev-style input device: scan codes become the same key
    /// events the virtio keyboard sends (a key already down that comes again is a repeat, value 2), each followed
    /// by a SYN_REPORT, so the console's layouts and lock handling take both alike. The lock lights go back with
    /// the keyboard's Set LEDs command (0xED and a bit mask, each acknowledged).
    /// </summary>
    /// <remarks>Not reentrant: one thread reads events (the interrupt handler only queues bytes).</remarks>
    public sealed class Ps2Keyboard : IInputDevice
    {
        // Set LEDs argument bits.
        private const byte LedScroll = 0x01, LedNum = 0x02, LedCaps = 0x04;

        private readonly I8042Controller _controller;
        private readonly ScanCodeSet1Decoder _decoder = new();
        private readonly Queue<InputEvent> _pending = new();
        private readonly bool[] _down = new bool[256];
        private readonly string _transport;
        private readonly Action<string>? _log;
        private long _unknown;

        /// <summary>
        /// The keyboard behind <paramref name="controller"/>'s first port, reached as <paramref name="transport"/> says;
        /// a Set LEDs the keyboard does not acknowledge is written to <paramref name="log"/> the first time.
        /// </summary>
        public Ps2Keyboard(I8042Controller controller, InterruptMode interruptMode, string transport, Action<string>? log = null)
        {
            _controller = controller ?? throw new ArgumentNullException(nameof(controller));
            InterruptMode = interruptMode;
            _transport = transport;
            _log = log;
            controller.KeyboardBytesArrived = () => EventsArrived?.Invoke();
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Input;

        /// <inheritdoc />
        public string NameStem => "kbd";

        /// <inheritdoc />
        public string DriverName => "ps2-kbd";

        /// <inheritdoc />
        public string Transport => _transport;

        /// <inheritdoc />
        public InterruptMode InterruptMode { get; }

        /// <inheritdoc />
        public string DeviceName => "AT keyboard (i8042 port 1, scan code set 2 translated)";

        /// <inheritdoc />
        public InputDeviceKind Kind => InputDeviceKind.Keyboard;

        /// <inheritdoc />
        public bool HasLeds => true;

        /// <inheritdoc />
        public Action? EventsArrived { get; set; }

        /// <inheritdoc />
        public long DroppedEvents => Interlocked.Read(ref _unknown) + _controller.KeyboardBytes.Overruns;

        /// <summary>The lights the keyboard last acknowledged.</summary>
        public KeyboardLeds Leds { get; private set; }

        /// <summary>Set LEDs commands the keyboard did not acknowledge in time.</summary>
        public int LedFailures { get; private set; }

        /// <inheritdoc />
        public bool TryReadEvent(out InputEvent inputEvent)
        {
            if (_pending.Count == 0)
            {
                _controller.Poll();
                while (_pending.Count == 0 && _controller.KeyboardBytes.TryRead(out byte value))
                {
                    Decode(value);
                }
            }

            return _pending.TryDequeue(out inputEvent);
        }

        /// <inheritdoc />
        public InputAxisRange? GetAxisRange(int axis) => null;

        /// <inheritdoc />
        public bool SetLeds(KeyboardLeds leds)
        {
            byte mask = (byte)(((leds & KeyboardLeds.ScrollLock) != 0 ? LedScroll : 0)
                | ((leds & KeyboardLeds.NumLock) != 0 ? LedNum : 0)
                | ((leds & KeyboardLeds.CapsLock) != 0 ? LedCaps : 0));
            if (!SendAcknowledged(DeviceSetLeds) || !SendAcknowledged(mask))
            {
                if (LedFailures++ == 0)
                {
                    _log?.Invoke($"[ps2] keyboard did not acknowledge Set LEDs (0xed 0x{mask:x2}) within {_controller.Timeouts.DeviceAck.TotalMilliseconds:F0} ms; lights unchanged");
                }

                return false;
            }

            Leds = leds;
            return true;
        }

        // Sends a byte and waits (bounded) for the keyboard's ACK among the bytes it sends; key bytes that come
        // first are decoded as usual. A resend answer is honoured twice.
        private bool SendAcknowledged(byte value)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                if (_controller.WriteToDevice(Ps2Port.Keyboard, value) != null)
                {
                    return false;
                }

                byte answer = 0;
                bool answered = BoundedWait.Until(
                    () =>
                    {
                        _controller.Poll();
                        while (_controller.KeyboardBytes.TryRead(out byte b))
                        {
                            if (b is DeviceAck or DeviceResend)
                            {
                                answer = b;
                                return true;
                            }

                            Decode(b);
                        }

                        return false;
                    },
                    _controller.Timeouts.DeviceAck);
                if (!answered)
                {
                    return false;
                }

                if (answer == DeviceAck)
                {
                    return true;
                }
            }

            return false;
        }

        private void Decode(byte value)
        {
            switch (_decoder.Feed(value, out KeyTransition key))
            {
                case ScanCodeOutcome.Key:
                    int state = key.Pressed ? (_down[key.Code] ? 2 : 1) : 0;
                    _down[key.Code] = key.Pressed;
                    Emit(key.Code, state);
                    break;
                case ScanCodeOutcome.KeyPressedAndReleased:
                    Emit(key.Code, 1);
                    Emit(key.Code, 0);
                    break;
                case ScanCodeOutcome.Unknown:
                    Interlocked.Increment(ref _unknown);
                    break;
            }
        }

        private void Emit(ushort code, int value)
        {
            _pending.Enqueue(new InputEvent(InputEventTypes.Key, code, value));
            _pending.Enqueue(new InputEvent(InputEventTypes.Sync, 0, 0));
        }
    }
}
