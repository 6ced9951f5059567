using System.Collections.Generic;
using System.Linq;
using Cosmos.Drivers.E1000;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Xunit;

namespace Cosmos.Drivers.Tests.E1000
{
    /// <summary>The e1000 driver through the device manager: matching, naming, interrupts, and a dead controller reported while the boot goes on.</summary>
    public class E1000DriverTests
    {
        [Fact]
        public void MatchesIntel8254xAnd82574LFunctionsOnly()
        {
            using var rig = new E1000Rig();
            var driver = new E1000Driver(rig.Dma, _ => { });
            Assert.True(driver.Matches(Function(rig, 0x100E)));
            Assert.True(driver.Matches(Function(rig, 0x100F)));
            Assert.True(driver.Matches(Function(rig, 0x10D3)));                   // 82574L (e1000e)
            Assert.False(driver.Matches(Function(rig, 0x10F5)));                  // 82567LM (ICH9 LAN): not supported
            Assert.False(driver.Matches(Function(rig, 0x100E, vendorId: 0x1AF4)));
        }

        [Fact]
        public void TheControllerRegistersAsEth0WithItsInterruptAndIsLogged()
        {
            using var rig = new E1000Rig();
            var log = new List<string>();
            var manager = new DeviceManager();
            var function = new FakePciFunction(0x100E, 0x1100, vendorId: 0x8086) { ClassCode = 0x02, OfferedMode = InterruptMode.Intx };
            function.AddBar(0, PciBarKind.Memory32, 0x20000, rig.Nic);
            manager.AddBus(new FakePciBus(new FakeBusPciFunction(function, "fake 8254x")));
            manager.AddDriver(new E1000Driver(rig.Dma, log.Add, E1000Rig.ShortTimeouts));
            manager.Probe();

            DeviceEntry entry = Assert.Single(manager.Devices);
            Assert.Equal("eth0", entry.Name);
            Assert.Equal("e1000", manager.Bindings[0].DriverName);
            Assert.Equal(new[] { "[e1000] eth0: mac 52:54:00:12:34:56, link up, 64 rx/64 tx descriptors" }, log);
            Assert.Equal(new[] { "mmio bar0+0x0" }, function.MappedWindows);

            var nic = (E1000Device)entry.Device;
            Assert.Equal(InterruptMode.Intx, nic.InterruptMode);
            int arrived = 0;
            nic.FramesArrived = () => arrived++;
            rig.Nic.Interrupt = () => function.Interrupts!.Raise(0);
            rig.Nic.Deliver(E1000Rig.Frame(70));
            Assert.Equal(1, arrived);
        }

        [Fact]
        public void AControllerThatNeverLeavesResetIsLoggedAndSkippedAndTheNextStillBinds()
        {
            using var dead = new E1000Rig();
            dead.Nic.ResetNeverCompletes = true;
            using var alive = new E1000Rig();
            var log = new List<string>();
            var manager = new DeviceManager();
            manager.AddBus(new FakePciBus(Function(dead, 0x100E), Function(alive, 0x100E)));
            manager.AddDriver(new E1000Driver(alive.Dma, log.Add, E1000Rig.ShortTimeouts));
            manager.Probe();

            Assert.Equal("[e1000] 0000:00:04.0: reset did not complete (CTRL.RST still set after 20 ms, CTRL=0x04000000); skipped", log[0]);
            Assert.Null(manager.Bindings[0].DriverName);
            Assert.Contains("reset did not complete", manager.Bindings[0].Error);
            Assert.Equal("e1000", manager.Bindings[1].DriverName);
            Assert.Equal("eth0", Assert.Single(manager.Devices).Name);
        }

        [Fact]
        public void AnIoOnlyBar0IsRefused()
        {
            using var rig = new E1000Rig();
            var log = new List<string>();
            var function = new FakePciFunction(0x100E, 0, vendorId: 0x8086);
            function.AddBar(0, PciBarKind.Io, 0x40, rig.Nic);
            string? error = new E1000Driver(rig.Dma, log.Add, E1000Rig.ShortTimeouts).Bind(new FakeBusPciFunction(function, "fake 8254x"), new DeviceManager());
            Assert.Equal("no memory BAR0 of at least 0x5800 bytes", error);
            Assert.Equal("[e1000] 0000:00:04.0: no memory BAR0 of at least 0x5800 bytes; skipped", Assert.Single(log));
        }

        private static FakeBusPciFunction Function(E1000Rig rig, ushort deviceId, ushort vendorId = 0x8086)
        {
            var function = new FakePciFunction(deviceId, 0, vendorId) { ClassCode = 0x02 };
            function.AddBar(0, PciBarKind.Memory32, 0x20000, rig.Nic);
            return new FakeBusPciFunction(function, "fake 8254x");
        }
    }
}
