using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.HAL.Tests
{
    public class DeviceManagerTests
    {
        private sealed record FakeDevice(DeviceClass Class, string NameStem, string DriverName = "fake", string Transport = "fake-bus")
            : IDevice
        {
            public InterruptMode InterruptMode => InterruptMode.Polled;
        }

        private sealed record FakeBusDevice(string Bus, string Address, string Description) : IBusDevice;

        private sealed class FakeBus : IBus
        {
            private readonly IReadOnlyList<IBusDevice> _devices;

            public FakeBus(params IBusDevice[] devices) => _devices = devices;

            public string Name => "fake";

            public IReadOnlyList<IBusDevice> Enumerate() => _devices;
        }

        private sealed class ThrowingBus : IBus
        {
            public string Name => "broken";

            public IReadOnlyList<IBusDevice> Enumerate() => throw new InvalidOperationException("config space reads all ones");
        }

        private sealed class FakeDriver : IDriver
        {
            private readonly Func<IBusDevice, string?> _bind;
            private readonly string _prefix;

            public FakeDriver(string name, string addressPrefix, Func<IBusDevice, string?> bind)
            {
                Name = name;
                _prefix = addressPrefix;
                _bind = bind;
            }

            public string Name { get; }

            public List<string> Bound { get; } = new();

            public bool Matches(IBusDevice device) => device.Address.StartsWith(_prefix, StringComparison.Ordinal);

            public string? Bind(IBusDevice device, DeviceManager manager)
            {
                string? error = _bind(device);
                if (error == null)
                {
                    Bound.Add(device.Address);
                }

                return error;
            }
        }

        [Fact]
        public void DisksGetLettersAndOthersNumbers()
        {
            var manager = new DeviceManager();
            Assert.Equal("vda", manager.Register(new FakeDevice(DeviceClass.Block, "vd")).Name);
            Assert.Equal("vdb", manager.Register(new FakeDevice(DeviceClass.Block, "vd")).Name);
            Assert.Equal("sda", manager.Register(new FakeDevice(DeviceClass.Block, "sd")).Name);
            Assert.Equal("eth0", manager.Register(new FakeDevice(DeviceClass.Network, "eth")).Name);
            Assert.Equal("eth1", manager.Register(new FakeDevice(DeviceClass.Network, "eth")).Name);
            Assert.Equal("kbd0", manager.Register(new FakeDevice(DeviceClass.Input, "kbd")).Name);
            Assert.Equal("fb0", manager.Register(new FakeDevice(DeviceClass.Display, "fb")).Name);
            Assert.NotNull(manager.Find("eth1"));
            Assert.Null(manager.Find("eth2"));
        }

        [Fact]
        public void DiskLettersContinuePastZ()
        {
            var manager = new DeviceManager();
            string last = "";
            for (int i = 0; i < 28; i++)
            {
                last = manager.Register(new FakeDevice(DeviceClass.Block, "vd")).Name;
            }

            Assert.Equal("vdab", last);
        }

        [Fact]
        public void SubscribersHearEarlierAndLaterDevicesOfTheirClassOnly()
        {
            var manager = new DeviceManager();
            manager.Register(new FakeDevice(DeviceClass.Block, "vd"));
            manager.Register(new FakeDevice(DeviceClass.Network, "eth"));
            var heard = new List<string>();
            manager.Subscribe(DeviceClass.Block, entry => heard.Add(entry.Name));
            manager.Register(new FakeDevice(DeviceClass.Block, "vd"));
            manager.Register(new FakeDevice(DeviceClass.Input, "kbd"));
            Assert.Equal(new[] { "vda", "vdb" }, heard);
        }

        [Fact]
        public void ProbeOffersEachDeviceToDriversInOrderAndRecordsTheBinding()
        {
            var manager = new DeviceManager();
            manager.AddBus(new FakeBus(new FakeBusDevice("fake", "a1", "first"), new FakeBusDevice("fake", "b1", "second"), new FakeBusDevice("fake", "c1", "nobody")));
            var refusing = new FakeDriver("refuser", "a", _ => "device reset timed out");
            var accepting = new FakeDriver("acceptor", "a", _ => null);
            var other = new FakeDriver("other", "b", _ => null);
            manager.AddDriver(refusing);
            manager.AddDriver(accepting);
            manager.AddDriver(other);
            manager.Probe();

            Assert.Equal(new[] { "a1" }, accepting.Bound);
            Assert.Equal(new[] { "b1" }, other.Bound);
            Assert.Empty(refusing.Bound);
            Assert.Equal("acceptor", manager.Bindings[0].DriverName);
            Assert.Equal("other", manager.Bindings[1].DriverName);
            Assert.Null(manager.Bindings[2].DriverName);
            Assert.Null(manager.Bindings[2].Error);
        }

        [Fact]
        public void AThrowingDriverIsRecordedAndTheNextDeviceStillBinds()
        {
            var manager = new DeviceManager();
            manager.AddBus(new FakeBus(new FakeBusDevice("fake", "a1", "bad"), new FakeBusDevice("fake", "a2", "good")));
            var driver = new FakeDriver("flaky", "a", device => device.Address == "a1" ? throw new InvalidOperationException("BAR0 reads as zero") : null);
            manager.AddDriver(driver);
            manager.Probe();

            Assert.Null(manager.Bindings[0].DriverName);
            Assert.Contains("flaky: InvalidOperationException: BAR0 reads as zero", manager.Bindings[0].Error);
            Assert.Equal("flaky", manager.Bindings[1].DriverName);
        }

        [Fact]
        public void ABusThatCannotBeEnumeratedIsRecordedAndOtherBusesStillProbe()
        {
            var manager = new DeviceManager();
            manager.AddBus(new ThrowingBus());
            manager.AddBus(new FakeBus(new FakeBusDevice("fake", "a1", "fine")));
            manager.AddDriver(new FakeDriver("d", "a", _ => null));
            manager.Probe();

            Assert.Contains("config space reads all ones", manager.Bindings[0].Error);
            Assert.Equal("d", manager.Bindings[1].DriverName);
        }
    }
}
