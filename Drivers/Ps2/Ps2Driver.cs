using System;
using Cosmos.Core.InterruptControllers;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// Takes the 8042 <see cref="IsaLegacyBus"/> found: controller self-test and port tests, the keyboard reset on
    /// the first port and the mouse reset and enabled on the second, IRQ 1 and 12 connected through the I/O APIC
    /// (polled when they cannot be), and a <see cref="Ps2Keyboard"/> and <see cref="Ps2Mouse"/> registered as
    /// input devices. A controller or device that does not answer is logged and skipped; the boot goes on.
    /// </summary>
    public sealed class Ps2Driver : IDriver
    {
        private readonly Action<string> _log;
        private readonly Func<int, Action, string?> _connectIsaIrq;
        private readonly Ps2Timeouts _timeouts;

        /// <summary>
        /// A driver writing its few lines to <paramref name="log"/>. <paramref name="connectIsaIrq"/> (which connects
        /// an ISA line to a handler and describes the route, or returns null) defaults to the I/O APIC's; host tests
        /// pass a fake.
        /// </summary>
        public Ps2Driver(Action<string> log, Ps2Timeouts? timeouts = null, Func<int, Action, string?>? connectIsaIrq = null)
        {
            _log = log ?? throw new ArgumentNullException(nameof(log));
            _timeouts = timeouts ?? Ps2Timeouts.Default;
            _connectIsaIrq = connectIsaIrq ?? ConnectThroughIoApic;
        }

        /// <inheritdoc />
        public string Name => "ps2";

        /// <inheritdoc />
        public bool Matches(IBusDevice device) => device is I8042BusDevice;

        /// <inheritdoc />
        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            var controller = new I8042Controller(((I8042BusDevice)device).Ports, _timeouts);
            string? error = controller.Initialize(out I8042UsablePorts usable);
            if (error != null)
            {
                _log($"[ps2] i8042: {error}; skipped");
                return error;
            }

            bool keyboard = usable.KeyboardPort && Step(controller.ResetDevicePolled(Ps2Port.Keyboard), "kbd");
            bool mouse = usable.AuxPort
                && Step(controller.ResetDevicePolled(Ps2Port.Aux), "mouse")
                && Step(controller.SendToDevicePolled(Ps2Port.Aux, I8042Registers.DeviceSetDefaults), "mouse")
                && Step(controller.SendToDevicePolled(Ps2Port.Aux, I8042Registers.DeviceEnableReporting), "mouse");
            if (usable.Notes.Length > 0 && usable.Notes != I8042Controller.SinglePortNote)
            {
                _log($"[ps2] i8042: {usable.Notes}");
            }

            if (!keyboard && !mouse)
            {
                const string nothing = "no keyboard or mouse answered";
                _log($"[ps2] i8042: {nothing}; skipped");
                return nothing;
            }

            string? keyboardRoute = keyboard ? _connectIsaIrq(I8042Registers.KeyboardIrq, controller.OnInterrupt) : null;
            string? mouseRoute = mouse ? _connectIsaIrq(I8042Registers.AuxIrq, controller.OnInterrupt) : null;
            bool interrupts = (!keyboard || keyboardRoute != null) && (!mouse || mouseRoute != null);
            error = controller.EnableDevices(keyboard, mouse, interrupts);
            if (error != null)
            {
                _log($"[ps2] i8042: {error}; skipped");
                return error;
            }

            if (!interrupts)
            {
                _log("[ps2] i8042: no I/O APIC route for irq 1/12; the keyboard and mouse are polled");
            }

            // Quiet when all is well (lsdev lists them); only failures reach the boot log.
            InterruptMode mode = interrupts ? InterruptMode.Intx : InterruptMode.Polled;
            if (keyboard)
            {
                manager.Register(new Ps2Keyboard(controller, mode, Route("port 1", interrupts ? keyboardRoute : null), _log));
            }

            if (mouse)
            {
                manager.Register(new Ps2Mouse(controller, mode, Route("port 2", interrupts ? mouseRoute : null)));
            }

            return null;
        }

        private bool Step(string? error, string device)
        {
            if (error != null)
            {
                _log($"[ps2] {device}: {error}; skipped");
            }

            return error == null;
        }

        // "i8042 port 1 io 0x60 irq 1 -> gsi 1 (ioapic 0 pin 1, edge, active high) -> vector 0x31" for lsdev.
        private static string Route(string port, string? route) => $"i8042 {port} io 0x60 {route ?? "polled"}";

        private static string? ConnectThroughIoApic(int irq, Action handler) => LegacyInterrupts.ConnectIsa(irq, handler)?.ToString();
    }
}
