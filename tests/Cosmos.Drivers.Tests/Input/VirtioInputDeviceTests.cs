using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Input;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Input
{
    /// <summary>virtio-input: configuration, kinds, events in and LEDs out, and a device that lies.</summary>
    public class VirtioInputDeviceTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AKeyboardIsRecognisedAndHasItsBuffersPostedAhead(SimLayout layout)
        {
            using SimInputDevice sim = SimInputDevice.Keyboard(layout);
            VirtioInputDevice keyboard = sim.StartDriver();
            Assert.Equal("QEMU Virtio Keyboard", keyboard.DeviceName);
            Assert.Equal(InputDeviceKind.Keyboard, keyboard.Kind);
            Assert.Equal("kbd", keyboard.NameStem);
            Assert.Equal(DeviceClass.Input, keyboard.Class);
            Assert.True(keyboard.HasLeds);
            Assert.Equal(VirtioInputDevice.EventBuffers, sim.PostedEventBuffers);
            Assert.Equal("", keyboard.Configuration.Problems);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void KeyEventsArriveInOrderAndTheirBuffersAreReposted()
        {
            using SimInputDevice sim = SimInputDevice.Keyboard();
            VirtioInputDevice keyboard = sim.StartDriver();
            sim.Send(1, 30, 1);
            sim.Send(0, 0, 0);
            sim.Send(1, 30, 2);
            sim.Send(1, 30, 0);
            Assert.True(keyboard.TryReadEvent(out InputEvent a));
            Assert.Equal(new InputEvent(1, 30, 1), a);
            Assert.True(keyboard.TryReadEvent(out InputEvent syn));
            Assert.Equal(new InputEvent(0, 0, 0), syn);
            Assert.True(keyboard.TryReadEvent(out InputEvent repeat));
            Assert.Equal(2, repeat.Value);
            Assert.True(keyboard.TryReadEvent(out InputEvent up));
            Assert.Equal(0, up.Value);
            Assert.False(keyboard.TryReadEvent(out _));
            Assert.Equal(VirtioInputDevice.EventBuffers, sim.PostedEventBuffers);
        }

        [Fact]
        public void ATabletHasItsAxisRangesAndAMouseIsRelative()
        {
            using SimInputDevice tablet = SimInputDevice.Tablet();
            VirtioInputDevice device = tablet.StartDriver();
            Assert.Equal(InputDeviceKind.Tablet, device.Kind);
            Assert.Equal("tablet", device.NameStem);
            Assert.Equal(new InputAxisRange(0, 32767, 0), device.GetAxisRange(0));
            Assert.Equal(new InputAxisRange(0, 32767, 0), device.GetAxisRange(1));
            Assert.Null(device.GetAxisRange(2));
            Assert.False(device.HasLeds);
            Assert.False(device.SetLeds(KeyboardLeds.CapsLock));

            using SimInputDevice mouse = SimInputDevice.Mouse();
            VirtioInputDevice rel = mouse.StartDriver();
            Assert.Equal(InputDeviceKind.Mouse, rel.Kind);
            Assert.Equal("mouse", rel.NameStem);
            mouse.Send(2, 0, -5);
            Assert.True(rel.TryReadEvent(out InputEvent moved));
            Assert.Equal(new InputEvent(2, 0, -5), moved);
        }

        [Fact]
        public void LocksLightTheLedsThroughTheStatusQueueOneEventPerBuffer()
        {
            using SimInputDevice sim = SimInputDevice.Keyboard();
            VirtioInputDevice keyboard = sim.StartDriver();
            Assert.True(keyboard.SetLeds(KeyboardLeds.CapsLock | KeyboardLeds.ScrollLock));
            sim.ReadStatus();
            Assert.Equal(new[] { ((ushort)0x11, (ushort)0, 0), ((ushort)0x11, (ushort)1, 1), ((ushort)0x11, (ushort)2, 1) }, sim.StatusEvents.ToArray());
            for (int i = 0; i < 40; i++)
            {
                Assert.True(keyboard.SetLeds(KeyboardLeds.NumLock), $"round {i}: status buffers were not reclaimed");
                sim.ReadStatus();
            }

            Assert.True(sim.StatusQueue.Seen.TrueForAll(r => r.Segments.Count == 1 && !r.Segments[0].Writable && r.Segments[0].Length == 8));
        }

        [Fact]
        public void ShortOrImplausibleEventsAreDroppedAndCountedAndTheBufferIsReposted()
        {
            using SimInputDevice sim = SimInputDevice.Keyboard();
            VirtioInputDevice keyboard = sim.StartDriver();
            sim.Send(1, 30, 1, length: 4);   // short
            sim.Send(0x40, 1, 1);            // no such event type
            sim.Send(1, 0x400, 1);           // key code above KEY_MAX
            sim.Send(1, 30, 7);              // key value other than 0, 1, 2
            sim.Send(1, 31, 1);              // honest
            Assert.True(keyboard.TryReadEvent(out InputEvent honest));
            Assert.Equal(new InputEvent(1, 31, 1), honest);
            Assert.Equal(4, keyboard.DroppedEvents);
            Assert.False(keyboard.TryReadEvent(out _));
            Assert.Equal(VirtioInputDevice.EventBuffers, sim.PostedEventBuffers);
        }

        [Fact]
        public void NonsenseConfigurationIsReportedNotBelieved()
        {
            using SimInputDevice sim = SimInputDevice.Tablet();
            sim.Axes[1] = (500, 100, 0); // empty range
            VirtioInputDevice tablet = sim.StartDriver();
            Assert.Null(tablet.GetAxisRange(1));
            Assert.NotEqual(InputDeviceKind.Tablet, tablet.Kind); // one axis is not a tablet
            Assert.Contains("axis 1 range 500..100 is empty", tablet.Configuration.Problems);

            using SimInputDevice oversize = SimInputDevice.Keyboard();
            oversize.SizeOverride = 200;
            VirtioInputDevice keyboard = oversize.StartDriver();
            Assert.Contains("claims 200 bytes, the union holds 128", keyboard.Configuration.Problems);
        }

        [Fact]
        public void ADeviceWithoutAStatusQueueIsRefused()
        {
            var options = new SimOptions { DeviceType = 18, QueueCount = 1, ConfigLength = 136 };
            using SimRig rig = SimRig.Create(SimLayout.PciModern, options);
            VirtioResult<VirtioInputDevice> started = VirtioInputDevice.Start(rig.Transport, rig.Memory);
            Assert.Equal("virtio-input: device has 1 queues, an event and a status queue are needed", started.Error);
        }
    }
}
