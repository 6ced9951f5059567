using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Cosmos.Drivers.Ps2;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Ps2
{
    /// <summary>The PS/2 driver through the device manager against <see cref="SimI8042"/>: bring-up, events on interrupts and polled, LEDs, and controllers and devices that do not answer.</summary>
    public class Ps2DriverTests
    {
        private static readonly Ps2Timeouts Short = new()
        {
            Controller = TimeSpan.FromMilliseconds(20),
            SelfTest = TimeSpan.FromMilliseconds(20),
            DeviceAck = TimeSpan.FromMilliseconds(20),
            DeviceReset = TimeSpan.FromMilliseconds(20),
        };

        private static (DeviceManager Manager, List<string> Log) Probe(SimI8042 sim, bool interrupts = true, byte[]? fadt = null)
        {
            var log = new List<string>();
            var manager = new DeviceManager();
            manager.AddBus(new IsaLegacyBus(() => sim, () => fadt));
            manager.AddDriver(new Ps2Driver(log.Add, Short, interrupts ? sim.Connect : (_, _) => null));
            manager.Probe();
            return (manager, log);
        }

        private static byte[] Fadt(byte revision, ushort bootArchitectureFlags)
        {
            byte[] fadt = new byte[244];
            fadt[8] = revision;
            fadt[109] = (byte)bootArchitectureFlags;
            fadt[110] = (byte)(bootArchitectureFlags >> 8);
            return fadt;
        }

        private static List<InputEvent> Drain(IInputDevice device)
        {
            var events = new List<InputEvent>();
            while (device.TryReadEvent(out InputEvent e))
            {
                events.Add(e);
            }

            return events;
        }

        private static InputEvent Key(int code, int value) => new(InputEventTypes.Key, (ushort)code, value);

        private static InputEvent Rel(ushort axis, int value) => new(InputEventTypes.Relative, axis, value);

        private static readonly InputEvent Syn = new(InputEventTypes.Sync, 0, 0);

        [Fact]
        public void TheControllerBringsUpAKeyboardAndAMouseOnTheirInterrupts()
        {
            var sim = new SimI8042();
            (DeviceManager manager, List<string> log) = Probe(sim);

            Assert.Equal(new[] { "kbd0", "mouse0" }, manager.Devices.Select(d => d.Name));
            Assert.Equal("ps2", manager.Bindings.Single().DriverName);
            Assert.Empty(log); // quiet when all is well
            var keyboard = (IInputDevice)manager.Devices[0].Device;
            var mouse = (IInputDevice)manager.Devices[1].Device;
            Assert.Equal(("i8042 port 1 io 0x60 irq 1 -> sim", "i8042 port 2 io 0x60 irq 12 -> sim"), (keyboard.Transport, mouse.Transport));
            Assert.Equal((InputDeviceKind.Keyboard, InterruptMode.Intx, "ps2-kbd"), (keyboard.Kind, keyboard.InterruptMode, keyboard.DriverName));
            Assert.Equal((InputDeviceKind.Mouse, InterruptMode.Intx, "ps2-mouse"), (mouse.Kind, mouse.InterruptMode, mouse.DriverName));
            Assert.Equal(new[] { 1, 12 }, sim.Irqs.Keys.Order());

            // Keyboard reset; mouse reset, defaults, reporting on; both interrupts, translation and both clocks on.
            Assert.Equal(new byte[] { 0xFF }, sim.KeyboardReceived);
            Assert.Equal(new byte[] { 0xFF, 0xF6, 0xF4 }, sim.MouseReceived);
            Assert.Equal(0x43, sim.Config & 0x73);
        }

        [Fact]
        public void KeysArriveOnTheInterruptAsEvdevEventsWithRepeatsAndSyncReports()
        {
            var sim = new SimI8042();
            (DeviceManager manager, _) = Probe(sim);
            var keyboard = (IInputDevice)manager.Devices[0].Device;
            int arrived = 0;
            keyboard.EventsArrived = () => arrived++;

            sim.KeyboardSends(0x1E, 0x1E, 0x9E, 0xE0, 0x48, 0xE0, 0xC8);
            Assert.True(arrived > 0);
            Assert.Equal(new[] { Key(30, 1), Syn, Key(30, 2), Syn, Key(30, 0), Syn, Key(103, 1), Syn, Key(103, 0), Syn }, Drain(keyboard));
            Assert.Equal(0, keyboard.DroppedEvents);

            sim.KeyboardSends(0x00, 0x54);
            Assert.Empty(Drain(keyboard));
            Assert.Equal(2, keyboard.DroppedEvents);
        }

        [Fact]
        public void MousePacketsBecomeRelativeMotionAndButtonChanges()
        {
            var sim = new SimI8042();
            (DeviceManager manager, _) = Probe(sim);
            var mouse = (IInputDevice)manager.Devices[1].Device;

            sim.MouseSends(0x08, 0x0A, 0x05, 0x19, 0xFE, 0x00, 0x08, 0x00, 0x00);
            Assert.Equal(
                new[]
                {
                    Rel(InputEventTypes.AxisX, 10), Rel(InputEventTypes.AxisY, -5), Syn,
                    Rel(InputEventTypes.AxisX, -2), Key(InputEventTypes.ButtonLeft, 1), Syn,
                    Key(InputEventTypes.ButtonLeft, 0), Syn,
                },
                Drain(mouse));

            // Bytes that cannot start a packet are dropped and counted; the keyboard's stream is not touched.
            sim.MouseSends(0x00, 0x08, 0x01, 0x00);
            Assert.Equal(new[] { Rel(InputEventTypes.AxisX, 1), Syn }, Drain(mouse));
            Assert.Equal(1, mouse.DroppedEvents);
            Assert.Empty(Drain((IInputDevice)manager.Devices[0].Device));
        }

        [Fact]
        public void WithoutInterruptLinesBothDevicesArePolled()
        {
            var sim = new SimI8042();
            (DeviceManager manager, List<string> log) = Probe(sim, interrupts: false);
            var keyboard = (IInputDevice)manager.Devices[0].Device;
            var mouse = (IInputDevice)manager.Devices[1].Device;
            Assert.Equal(InterruptMode.Polled, keyboard.InterruptMode);
            Assert.Equal("i8042 port 1 io 0x60 polled", keyboard.Transport);
            Assert.Equal("[ps2] i8042: no I/O APIC route for irq 1/12; the keyboard and mouse are polled", Assert.Single(log));
            Assert.Equal(0, sim.Config & 0x03); // interrupt bits stay off

            sim.MouseSends(0x08, 0x02, 0x00);
            sim.KeyboardSends(0x1E);
            Assert.Equal(new[] { Key(30, 1), Syn }, Drain(keyboard)); // the keyboard's read sorted the mouse bytes aside
            Assert.Equal(new[] { Rel(InputEventTypes.AxisX, 2), Syn }, Drain(mouse));
        }

        [Fact]
        public void LockLightsGoToTheKeyboardAsSetLedsAndItsMask()
        {
            var sim = new SimI8042();
            (DeviceManager manager, _) = Probe(sim);
            var keyboard = (Ps2Keyboard)manager.Devices[0].Device;

            Assert.True(keyboard.SetLeds(KeyboardLeds.CapsLock | KeyboardLeds.NumLock));
            Assert.Equal(new byte[] { 0xFF, 0xED, 0x06 }, sim.KeyboardReceived);
            Assert.Equal(0x06, sim.KeyboardLeds);
            Assert.Equal(KeyboardLeds.CapsLock | KeyboardLeds.NumLock, keyboard.Leds);

            Assert.True(keyboard.SetLeds(KeyboardLeds.ScrollLock));
            Assert.Equal(0x01, sim.KeyboardLeds);
        }

        [Fact]
        public void KeysTypedWhileTheLightsAreSetAreNotLostAndAResendIsHonoured()
        {
            var sim = new SimI8042();
            (DeviceManager manager, _) = Probe(sim);
            var keyboard = (Ps2Keyboard)manager.Devices[0].Device;
            sim.KeyboardSends(0x1E); // waits in the ring, in front of the ACKs
            sim.KeyboardResends = 1;

            Assert.True(keyboard.SetLeds(KeyboardLeds.CapsLock));
            Assert.Equal(new byte[] { 0xFF, 0xED, 0xED, 0x04 }, sim.KeyboardReceived);
            Assert.Equal(new[] { Key(30, 1), Syn }, Drain(keyboard));
        }

        [Fact]
        public void AKeyboardThatDoesNotAcknowledgeTheLightsGivesFalseOnceLoggedWithinTheBound()
        {
            var sim = new SimI8042();
            (DeviceManager manager, List<string> log) = Probe(sim);
            var keyboard = (Ps2Keyboard)manager.Devices[0].Device;
            sim.KeyboardStopsAcking = true;

            var clock = Stopwatch.StartNew();
            Assert.False(keyboard.SetLeds(KeyboardLeds.CapsLock));
            Assert.False(keyboard.SetLeds(KeyboardLeds.None));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
            Assert.Equal(2, keyboard.LedFailures);
            Assert.Single(log, line => line.StartsWith("[ps2] keyboard did not acknowledge Set LEDs (0xed 0x04)", StringComparison.Ordinal));
        }

        [Fact]
        public void BytesTheControllerFlagsWithAParityErrorAreDropped()
        {
            var sim = new SimI8042();
            (DeviceManager manager, _) = Probe(sim, interrupts: false);
            var keyboard = (IInputDevice)manager.Devices[0].Device;
            sim.KeyboardSendsWithParityError(0x1E);
            sim.KeyboardSends(0x30);
            Assert.Equal(new[] { Key(48, 1), Syn }, Drain(keyboard));
        }

        [Fact]
        public void ARingTheReaderNeverEmptiesDropsAndCountsTheRest()
        {
            var sim = new SimI8042();
            (DeviceManager manager, _) = Probe(sim);
            var keyboard = (IInputDevice)manager.Devices[0].Device;
            for (int i = 0; i < 600; i++)
            {
                sim.KeyboardSends(0x1E);
            }

            Assert.Equal(600 - 512, keyboard.DroppedEvents);
        }

        [Fact]
        public void NoControllerAtThePortsIsNoBusDeviceAndNothingIsLogged()
        {
            var bus = new IsaLegacyBus(() => new SimI8042 { Absent = true }, () => null);
            Assert.Empty(bus.Enumerate());
            Assert.Equal("status register reads 0xff: no controller at 0x60/0x64", bus.NoControllerReason);

            (DeviceManager manager, List<string> log) = Probe(new SimI8042 { Absent = true });
            Assert.Empty(manager.Bindings);
            Assert.Empty(manager.Devices);
            Assert.Empty(log);
        }

        [Fact]
        public void AControllerThatNeverAnswersIsReportedWithinItsBound()
        {
            var clock = Stopwatch.StartNew();
            (DeviceManager manager, List<string> log) = Probe(new SimI8042 { Silent = true });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
            Assert.Empty(manager.Devices);
            Assert.Equal("[ps2] i8042: no answer to read-configuration (0x20) within 20 ms; skipped", Assert.Single(log));
        }

        [Fact]
        public void AControllerWhoseInputBufferNeverEmptiesIsReported()
        {
            (DeviceManager manager, List<string> log) = Probe(new SimI8042 { InputStuck = true });
            Assert.Empty(manager.Devices);
            Assert.Equal("[ps2] i8042: controller did not take command 0xad within 20 ms (status 0x02); skipped", Assert.Single(log));
        }

        [Fact]
        public void AFailedSelfTestIsReportedWithItsAnswer()
        {
            (DeviceManager manager, List<string> log) = Probe(new SimI8042 { SelfTestAnswer = 0xFC });
            Assert.Empty(manager.Devices);
            Assert.Equal("[ps2] i8042: self-test answered 0xfc (0x55 means passed); skipped", Assert.Single(log));
        }

        [Fact]
        public void AMissingKeyboardIsReportedAndTheMouseStillRegisters()
        {
            (DeviceManager manager, List<string> log) = Probe(new SimI8042 { KeyboardMute = true });
            Assert.Equal(new[] { "mouse0" }, manager.Devices.Select(d => d.Name));
            Assert.Contains("[ps2] kbd: first-port device did not acknowledge 0xff within 20 ms; skipped", log);
        }

        [Fact]
        public void ASinglePortControllerGivesAKeyboardOnly()
        {
            var sim = new SimI8042 { SingleChannel = true };
            (DeviceManager manager, List<string> log) = Probe(sim);
            Assert.Equal(new[] { "kbd0" }, manager.Devices.Select(d => d.Name));
            Assert.Empty(log); // one port is no failure
            Assert.Empty(sim.MouseReceived);
            Assert.Equal(0, sim.Config & 0x02);
        }

        [Fact]
        public void AnEightThousandFortyTwoTheFirmwareDeniesIsNotTouched()
        {
            var sim = new SimI8042();
            var bus = new IsaLegacyBus(() => sim, () => Fadt(3, 0x0001));
            Assert.Empty(bus.Enumerate());
            Assert.Equal("the ACPI FADT (revision 3) says there is no 8042 (IAPC_BOOT_ARCH 0x0001)", bus.NoControllerReason);
            Assert.Equal(0, sim.Accesses);
        }

        [Fact]
        public void AFadtThatAllowsThe8042LetsItBind()
        {
            (DeviceManager manager, _) = Probe(new SimI8042(), fadt: Fadt(4, 0x0002));
            Assert.Equal(new[] { "kbd0", "mouse0" }, manager.Devices.Select(d => d.Name));
        }

        [Theory]
        [InlineData(1, 0x0000, null)]   // ACPI 1.0 FADT: the field is reserved
        [InlineData(3, 0x0002, null)]   // 8042 present
        [InlineData(6, 0x0003, null)]
        [InlineData(3, 0x0001, "the ACPI FADT (revision 3) says there is no 8042 (IAPC_BOOT_ARCH 0x0001)")]
        [InlineData(5, 0x0000, "the ACPI FADT (revision 5) says there is no 8042 (IAPC_BOOT_ARCH 0x0000)")]
        public void TheFadtsBootArchitectureFlagsDecideWhetherTheFirmwareDeniesAn8042(byte revision, ushort flags, string? denial)
        {
            Assert.Equal(denial, I8042FirmwarePresence.Denial(Fadt(revision, flags)));
        }

        [Fact]
        public void AFadtTooShortForTheFlagsDeniesNothing()
        {
            byte[] fadt = new byte[100];
            fadt[8] = 3;
            Assert.Null(I8042FirmwarePresence.Denial(fadt));
        }
    }
}
