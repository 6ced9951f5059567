using System;
using System.Threading;
using static Cosmos.Drivers.Ps2.I8042Registers;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>What <see cref="I8042Controller.Initialize"/> found.</summary>
    /// <param name="KeyboardPort">The first port passed its test.</param>
    /// <param name="AuxPort">There is a second port and it passed its test.</param>
    /// <param name="Notes">Why a port is not used, for the log ("" when both are).</param>
    public readonly record struct I8042UsablePorts(bool KeyboardPort, bool AuxPort, string Notes);

    /// <summary>
    /// The 8042 controller: brought up with every step bounded (ports disabled, output flushed, configuration
    /// with interrupts off and translation on, self-test, port tests), then device bytes sorted by the status
    /// register's AUX bit into one ring per port. While the driver runs on interrupts only the interrupt handler
    /// reads the data port (a reader between the status read and the data read of another would take a byte
    /// twice); polled, the thread reading events drains it.
    /// </summary>
    public sealed class I8042Controller
    {
        // A controller that keeps saying "output full" is broken; one interrupt takes at most this many bytes.
        private const int DrainLimit = 64;

        /// <summary>What <see cref="Initialize"/> says when nothing answers at the ports.</summary>
        public const string AbsentError = "status register reads 0xff: no controller at 0x60/0x64";

        /// <summary>The note for a controller with one port (not a failure).</summary>
        public const string SinglePortNote = "no second port";

        private readonly II8042Ports _ports;
        private readonly Ps2Timeouts _timeouts;
        private long _badBytes;

        /// <summary>A controller on <paramref name="ports"/>.</summary>
        public I8042Controller(II8042Ports ports, Ps2Timeouts? timeouts = null)
        {
            _ports = ports ?? throw new ArgumentNullException(nameof(ports));
            _timeouts = timeouts ?? Ps2Timeouts.Default;
        }

        /// <summary>The waits in use.</summary>
        public Ps2Timeouts Timeouts => _timeouts;

        /// <summary>True once the interrupt lines are connected and enabled: only <see cref="OnInterrupt"/> reads the data port.</summary>
        public bool InterruptDriven { get; private set; }

        /// <summary>Called from the interrupt handler after bytes for the first port were queued.</summary>
        public Action? KeyboardBytesArrived { get; set; }

        /// <summary>Called from the interrupt handler after bytes for the second port were queued.</summary>
        public Action? AuxBytesArrived { get; set; }

        /// <summary>Bytes the controller flagged with a parity or timeout error, dropped.</summary>
        public long BadBytes => Interlocked.Read(ref _badBytes);

        internal Ps2ByteRing KeyboardBytes { get; } = new();

        internal Ps2ByteRing AuxBytes { get; } = new();

        /// <summary>
        /// Brings the controller to a known state with both devices' interrupts off; returns null and the usable
        /// ports, or a sentence saying what failed (the controller should then be left alone).
        /// </summary>
        public string? Initialize(out I8042UsablePorts usable)
        {
            usable = default;
            byte status = _ports.ReadStatus();
            if (status == 0xFF)
            {
                return AbsentError;
            }

            string? error = Command(CommandDisableKeyboard) ?? Command(CommandDisableAux);
            if (error != null)
            {
                return error;
            }

            Flush();
            error = ReadConfiguration(out byte config);
            if (error != null)
            {
                return error;
            }

            config = (byte)((config & ~(ConfigKeyboardInterrupt | ConfigAuxInterrupt)) | ConfigTranslation);
            error = Command(CommandWriteConfig, config) ?? SelfTest();
            if (error != null)
            {
                return error;
            }

            // The self-test may reset the controller (and its configuration) on some parts: write it again.
            error = Command(CommandWriteConfig, config);
            if (error != null)
            {
                return error;
            }

            bool dualChannel = HasSecondPort(out error);
            if (error != null)
            {
                return error;
            }

            string notes = "";
            bool keyboard = TestPort(CommandTestKeyboard, "first", ref notes);
            bool aux = dualChannel ? TestPort(CommandTestAux, "second", ref notes) : false;
            if (!dualChannel)
            {
                notes += SinglePortNote + "; ";
            }

            error = (keyboard ? Command(CommandEnableKeyboard) : null) ?? (aux ? Command(CommandEnableAux) : null);
            if (error != null)
            {
                return error;
            }

            Flush();
            usable = new I8042UsablePorts(keyboard, aux, notes.TrimEnd(' ', ';'));
            return null;
        }

        /// <summary>
        /// Sends <paramref name="value"/> to the device on <paramref name="port"/> and waits for its ACK by polling the
        /// controller (only before interrupts are enabled). Resend answers are honoured up to three times.
        /// </summary>
        public string? SendToDevicePolled(Ps2Port port, byte value)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                string? error = WriteToDevice(port, value);
                if (error != null)
                {
                    return error;
                }

                if (!ReadFromDevicePolled(port, _timeouts.DeviceAck, out byte answer))
                {
                    return $"{PortName(port)} device did not acknowledge 0x{value:x2} within {_timeouts.DeviceAck.TotalMilliseconds:F0} ms";
                }

                if (answer == DeviceAck)
                {
                    return null;
                }

                if (answer != DeviceResend)
                {
                    return $"{PortName(port)} device answered 0x{answer:x2} to 0x{value:x2} (0xfa is ACK)";
                }
            }

            return $"{PortName(port)} device asked for 0x{value:x2} again three times";
        }

        /// <summary>Resets the device on <paramref name="port"/> (0xFF, then its self-test result 0xAA; a mouse adds its ID).</summary>
        public string? ResetDevicePolled(Ps2Port port)
        {
            string? error = SendToDevicePolled(port, DeviceReset);
            if (error != null)
            {
                return error;
            }

            if (!ReadFromDevicePolled(port, _timeouts.DeviceReset, out byte result))
            {
                return $"{PortName(port)} device did not finish its reset within {_timeouts.DeviceReset.TotalMilliseconds:F0} ms";
            }

            if (result != DeviceSelfTestPassed)
            {
                return $"{PortName(port)} device's self-test answered 0x{result:x2} (0xaa means passed)";
            }

            if (port == Ps2Port.Aux)
            {
                ReadFromDevicePolled(port, _timeouts.DeviceAck, out _); // the mouse's ID byte (0x00)
            }

            return null;
        }

        /// <summary>Writes one byte to a device without waiting for an answer (the answer arrives in the port's ring).</summary>
        public string? WriteToDevice(Ps2Port port, byte value) =>
            port == Ps2Port.Aux ? Command(CommandWriteAux, value) : WriteData(value);

        /// <summary>
        /// Turns the ports' interrupts on (and their clocks) in the configuration byte, translation kept; from now on
        /// only <see cref="OnInterrupt"/> reads the data port when <paramref name="interruptDriven"/>.
        /// </summary>
        public string? EnableDevices(bool keyboard, bool aux, bool interruptDriven)
        {
            string? error = ReadConfiguration(out byte config);
            if (error != null)
            {
                return error;
            }

            config |= ConfigTranslation;
            if (keyboard)
            {
                config = (byte)((config & ~ConfigKeyboardClockDisabled) | (interruptDriven ? ConfigKeyboardInterrupt : 0));
            }

            if (aux)
            {
                config = (byte)((config & ~ConfigAuxClockDisabled) | (interruptDriven ? ConfigAuxInterrupt : 0));
            }

            InterruptDriven = interruptDriven;
            error = Command(CommandWriteConfig, config);
            Drain(); // bytes that came before the interrupts were on
            return error;
        }

        /// <summary>The interrupt handler of both lines: moves every waiting byte into its port's ring. Allocates nothing.</summary>
        public void OnInterrupt()
        {
            int keyboardBefore = 0, auxBefore = 0;
            Drain(ref keyboardBefore, ref auxBefore);
            if (keyboardBefore > 0)
            {
                KeyboardBytesArrived?.Invoke();
            }

            if (auxBefore > 0)
            {
                AuxBytesArrived?.Invoke();
            }
        }

        /// <summary>Reads what arrived when the controller is polled (nothing when interrupts deliver the bytes).</summary>
        public void Poll()
        {
            if (!InterruptDriven)
            {
                Drain();
            }
        }

        private void Drain()
        {
            int keyboard = 0, aux = 0;
            Drain(ref keyboard, ref aux);
        }

        private void Drain(ref int keyboard, ref int aux)
        {
            for (int i = 0; i < DrainLimit; i++)
            {
                byte status = _ports.ReadStatus();
                if ((status & StatusOutputFull) == 0 || status == 0xFF)
                {
                    return;
                }

                byte value = _ports.ReadData();
                if ((status & (StatusParityError | StatusTimeout)) != 0)
                {
                    Interlocked.Increment(ref _badBytes);
                }
                else if ((status & StatusAuxData) != 0)
                {
                    AuxBytes.TryWrite(value);
                    aux++;
                }
                else
                {
                    KeyboardBytes.TryWrite(value);
                    keyboard++;
                }
            }
        }

        private void Flush()
        {
            for (int i = 0; i < DrainLimit && (_ports.ReadStatus() & StatusOutputFull) != 0; i++)
            {
                _ports.ReadData();
            }
        }

        private string? ReadConfiguration(out byte config)
        {
            config = 0;
            string? error = Command(CommandReadConfig);
            if (error != null)
            {
                return error;
            }

            return ReadControllerAnswer(_timeouts.Controller, out config) ? null
                : $"no answer to read-configuration (0x20) within {_timeouts.Controller.TotalMilliseconds:F0} ms";
        }

        private string? SelfTest()
        {
            string? error = Command(CommandSelfTest);
            if (error != null)
            {
                return error;
            }

            if (!ReadControllerAnswer(_timeouts.SelfTest, out byte answer))
            {
                return $"self-test (0xaa) got no answer within {_timeouts.SelfTest.TotalMilliseconds:F0} ms";
            }

            return answer == SelfTestPassed ? null : $"self-test answered 0x{answer:x2} (0x55 means passed)";
        }

        // A single-port controller ignores "enable second port", so the second port's clock stays disabled.
        private bool HasSecondPort(out string? error)
        {
            byte config = 0;
            error = Command(CommandEnableAux) ?? ReadConfiguration(out config);
            if (error != null)
            {
                return false;
            }

            bool dual = (config & ConfigAuxClockDisabled) == 0;
            error = Command(CommandDisableAux);
            return dual;
        }

        private bool TestPort(byte command, string which, ref string notes)
        {
            string? error = Command(command);
            if (error != null)
            {
                notes += $"{which} port: {error}; ";
                return false;
            }

            if (!ReadControllerAnswer(_timeouts.Controller, out byte answer))
            {
                notes += $"{which} port test got no answer; ";
                return false;
            }

            if (answer != PortTestPassed)
            {
                notes += $"{which} port test failed (0x{answer:x2}); ";
                return false;
            }

            return true;
        }

        private string? Command(byte command)
        {
            if (!WaitInputEmpty())
            {
                return $"controller did not take command 0x{command:x2} within {_timeouts.Controller.TotalMilliseconds:F0} ms (status 0x{_ports.ReadStatus():x2})";
            }

            _ports.WriteCommand(command);
            return null;
        }

        private string? Command(byte command, byte argument) => Command(command) ?? WriteData(argument, command);

        private string? WriteData(byte value, byte? forCommand = null)
        {
            if (!WaitInputEmpty())
            {
                string what = forCommand is byte c ? $"the argument of command 0x{c:x2}" : $"byte 0x{value:x2}";
                return $"controller did not take {what} within {_timeouts.Controller.TotalMilliseconds:F0} ms (status 0x{_ports.ReadStatus():x2})";
            }

            _ports.WriteData(value);
            return null;
        }

        private bool WaitInputEmpty() => BoundedWait.Until(() => (_ports.ReadStatus() & StatusInputFull) == 0, _timeouts.Controller);

        // An answer from the controller itself. Nothing tells it from a keyboard byte, which is why both ports are
        // disabled while the controller is asked things.
        private bool ReadControllerAnswer(TimeSpan timeout, out byte value)
        {
            byte read = 0;
            bool got = BoundedWait.Until(
                () =>
                {
                    if ((_ports.ReadStatus() & StatusOutputFull) == 0)
                    {
                        return false;
                    }

                    read = _ports.ReadData();
                    return true;
                },
                timeout);
            value = read;
            return got;
        }

        // A byte from the device on `port`; bytes from the other port in between are dropped (nothing uses them yet).
        private bool ReadFromDevicePolled(Ps2Port port, TimeSpan timeout, out byte value)
        {
            byte read = 0;
            bool got = BoundedWait.Until(
                () =>
                {
                    byte status = _ports.ReadStatus();
                    if ((status & StatusOutputFull) == 0)
                    {
                        return false;
                    }

                    read = _ports.ReadData();
                    return ((status & StatusAuxData) != 0) == (port == Ps2Port.Aux);
                },
                timeout);
            value = read;
            return got;
        }

        private static string PortName(Ps2Port port) => port == Ps2Port.Aux ? "second-port" : "first-port";
    }
}
