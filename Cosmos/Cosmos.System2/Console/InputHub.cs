using System;
using System.Collections.Generic;
using System.Threading;
using Cosmos.HAL.Devices;
using Cosmos.System.Console.Keyboard;

namespace Cosmos.System.Console
{
    /// <summary>
    /// Every input device of the machine, read together: keyboards type bytes through a <see cref="KeyboardState"/>
    /// (the layout, modifiers and locks, whose LEDs go back to every keyboard), mice and tablets move one pointer
    /// in screen coordinates and press its buttons. Each finished pointer report (an EV_SYN group) is kept as a
    /// line for listings (<see cref="TakePointerReports"/>). Polled: <see cref="Pump"/> reads what arrived.
    /// </summary>
    public sealed class InputHub
    {
        private const int MaxReports = 256;

        private readonly List<DeviceEntry> _devices = new();
        private readonly Queue<byte> _typed = new();
        private readonly Queue<string> _reports = new();
        private readonly Lock _gate = new();
        private bool _pointerMoved;
        private bool _buttonsChanged;
        private int _relativeX, _relativeY;

        /// <summary>The keyboard state (layout, modifiers, locks).</summary>
        public KeyboardState Keyboard { get; } = new(new UsKeyboardLayout());

        /// <summary>The screen the pointer moves on (the pointer stays inside it); 1024×768 until a display says otherwise.</summary>
        public (int Width, int Height) ScreenSize { get; set; } = (1024, 768);

        /// <summary>The pointer's position in pixels.</summary>
        public (int X, int Y) Pointer { get; private set; }

        /// <summary>Buttons held: bit 0 left, bit 1 right, bit 2 middle.</summary>
        public int Buttons { get; private set; }

        /// <summary>Called (on the pumping thread) when the pointer moved or a button changed.</summary>
        public Action? PointerChanged { get; set; }

        /// <summary>The input devices, as named by the device manager.</summary>
        public IReadOnlyList<DeviceEntry> Devices => _devices;

        /// <summary>Adds every input device <paramref name="devices"/> has and will have.</summary>
        public void AttachDevices(DeviceManager devices)
        {
            ArgumentNullException.ThrowIfNull(devices);
            devices.Subscribe(DeviceClass.Input, entry =>
            {
                lock (_gate)
                {
                    _devices.Add(entry);
                    var device = (IInputDevice)entry.Device;
                    if (device.HasLeds)
                    {
                        device.SetLeds(Keyboard.Locks);
                    }
                }
            });
        }

        /// <summary>Takes the next typed byte, reading the devices first when nothing is waiting.</summary>
        public bool TryReadByte(out byte value)
        {
            lock (_gate)
            {
                if (_typed.Count == 0)
                {
                    PumpLocked();
                }

                return _typed.TryDequeue(out value);
            }
        }

        /// <summary>Reads every event waiting on every device.</summary>
        public void Pump()
        {
            lock (_gate)
            {
                PumpLocked();
            }
        }

        /// <summary>The pointer reports since the last call ("tablet0: x 639 y 399 buttons 1"), oldest first.</summary>
        public List<string> TakePointerReports()
        {
            lock (_gate)
            {
                PumpLocked();
                var reports = new List<string>(_reports);
                _reports.Clear();
                return reports;
            }
        }

        /// <summary>Feeds one event from <paramref name="name"/> as if the device had sent it (for devices read elsewhere and for tests).</summary>
        public void Feed(string name, IInputDevice device, InputEvent inputEvent)
        {
            lock (_gate)
            {
                Handle(name, device, inputEvent);
            }
        }

        private void PumpLocked()
        {
            foreach (DeviceEntry entry in _devices)
            {
                var device = (IInputDevice)entry.Device;
                int budget = 256; // a device that floods cannot hold the console forever
                while (budget-- > 0 && device.TryReadEvent(out InputEvent inputEvent))
                {
                    Handle(entry.Name, device, inputEvent);
                }
            }
        }

        private void Handle(string name, IInputDevice device, InputEvent e)
        {
            switch (e.Type)
            {
                case InputEventTypes.Key when e.Code >= InputEventTypes.ButtonLeft && e.Code <= InputEventTypes.ButtonMiddle:
                    int bit = e.Code == InputEventTypes.ButtonLeft ? 1 : e.Code == InputEventTypes.ButtonRight ? 2 : 4;
                    Buttons = e.Value != 0 ? Buttons | bit : Buttons & ~bit;
                    _buttonsChanged = true;
                    break;
                case InputEventTypes.Key:
                    byte[] bytes = Keyboard.Press(e.Code, e.Value, out bool locksChanged);
                    foreach (byte b in bytes)
                    {
                        _typed.Enqueue(b);
                    }

                    if (locksChanged)
                    {
                        foreach (DeviceEntry entry in _devices)
                        {
                            var keyboard = (IInputDevice)entry.Device;
                            if (keyboard.HasLeds)
                            {
                                keyboard.SetLeds(Keyboard.Locks);
                            }
                        }
                    }

                    break;
                case InputEventTypes.Relative when e.Code == InputEventTypes.AxisX:
                    _relativeX += e.Value;
                    break;
                case InputEventTypes.Relative when e.Code == InputEventTypes.AxisY:
                    _relativeY += e.Value;
                    break;
                case InputEventTypes.Absolute when e.Code <= InputEventTypes.AxisY:
                    if (device.GetAxisRange(e.Code) is InputAxisRange range)
                    {
                        int extent = (e.Code == InputEventTypes.AxisX ? ScreenSize.Width : ScreenSize.Height) - 1;
                        long clamped = Math.Clamp(e.Value, range.Minimum, range.Maximum);
                        int position = (int)((clamped - range.Minimum) * extent / (range.Maximum - range.Minimum));
                        Pointer = e.Code == InputEventTypes.AxisX ? (position, Pointer.Y) : (Pointer.X, position);
                        _pointerMoved = true;
                    }

                    break;
                case InputEventTypes.Sync:
                    FinishReport(name);
                    break;
            }
        }

        private void FinishReport(string name)
        {
            if (_relativeX != 0 || _relativeY != 0)
            {
                Pointer = (Math.Clamp(Pointer.X + _relativeX, 0, ScreenSize.Width - 1), Math.Clamp(Pointer.Y + _relativeY, 0, ScreenSize.Height - 1));
                _relativeX = _relativeY = 0;
                _pointerMoved = true;
            }

            if (!_pointerMoved && !_buttonsChanged)
            {
                return;
            }

            _pointerMoved = _buttonsChanged = false;
            if (_reports.Count == MaxReports)
            {
                _reports.Dequeue();
            }

            _reports.Enqueue($"{name}: x {Pointer.X} y {Pointer.Y} buttons {Buttons}");
            PointerChanged?.Invoke();
        }
    }
}
