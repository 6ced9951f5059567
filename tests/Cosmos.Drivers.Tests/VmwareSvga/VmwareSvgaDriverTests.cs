using System.Collections.Generic;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.Drivers.VmwareSvga;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Pci;
using Xunit;

namespace Cosmos.Drivers.Tests.VmwareSvga
{
    /// <summary>The SVGA II driver through the device manager: matching, the BARs it needs, fb0, and a lying adapter skipped while the boot goes on.</summary>
    public class VmwareSvgaDriverTests
    {
        private static FakePciFunction Adapter(SimSvga sim, bool ioBar0 = true)
        {
            var function = new FakePciFunction(0x0405, 0x0405, vendorId: 0x15AD) { ClassCode = 0x03 };
            function.AddBar(0, ioBar0 ? PciBarKind.Io : PciBarKind.Memory32, 0x10, sim.Ports);
            function.AddBar(1, PciBarKind.Memory32, (ulong)sim.Vram.Length, new SimSvga.FifoSpace(0x1000));
            function.AddBar(2, PciBarKind.Memory32, SimSvga.FifoBarSize, sim.Fifo);
            return function;
        }

        [Fact]
        public void MatchesTheSvgaIIFunctionOnly()
        {
            using var sim = new SimSvga();
            var driver = new VmwareSvgaDriver(_ => { }, sim.Map);
            Assert.True(driver.Matches(new FakeBusPciFunction(Adapter(sim), "svga")));
            Assert.False(driver.Matches(new FakeBusPciFunction(new FakePciFunction(0x0405, 0, vendorId: 0x8086), "other vendor")));
            Assert.False(driver.Matches(new FakeBusPciFunction(new FakePciFunction(0x0710, 0, vendorId: 0x15AD), "SVGA (first version)")));
        }

        [Fact]
        public void TheAdapterRegistersAsFb0AndIsLogged()
        {
            using var sim = new SimSvga();
            // FakePciFunction puts BAR1 at 0xFE000000 + (1 << 20); the simulated device reports its VRAM there.
            sim.FbStart = 0xFE100000;
            var log = new List<string>();
            var manager = new DeviceManager();
            FakePciFunction function = Adapter(sim);
            manager.AddBus(new FakePciBus(new FakeBusPciFunction(function, "svga")));
            manager.AddDriver(new VmwareSvgaDriver(log.Add, (address, length) => sim.Map(address - 0xFE100000 + SimSvga.VramAddress, length), 1024, 768));
            manager.Probe();

            DeviceEntry entry = Assert.Single(manager.Devices);
            Assert.Equal("fb0", entry.Name);
            Assert.Equal("vmware-svga", manager.Bindings[0].DriverName);
            Assert.Equal(new[] { "[svga] fb0: 1024x768 (max 2368x1770), 16 MiB VRAM, 63 KiB FIFO" }, log);
            var display = (IDisplayDevice)entry.Device;
            Assert.Equal((1024, 768), (display.Width, display.Height));
            Assert.True(sim.Enabled);
        }

        [Fact]
        public void AnAdapterThatLiesIsLoggedAndSkippedAndTheNextStillBinds()
        {
            using var liar = new SimSvga { FifoSize = 0 };
            using var good = new SimSvga { FbStart = 0xFE100000 };
            var log = new List<string>();
            var manager = new DeviceManager();
            manager.AddBus(new FakePciBus(new FakeBusPciFunction(Adapter(liar), "liar"), new FakeBusPciFunction(Adapter(good), "good")));
            manager.AddDriver(new VmwareSvgaDriver(log.Add, (address, length) => good.Map(address - 0xFE100000 + SimSvga.VramAddress, length), 640, 480));
            manager.Probe();

            Assert.Equal("fb0", Assert.Single(manager.Devices).Name);
            Assert.StartsWith("[svga] 0000:00:04.0: the device reports a FIFO of 0 bytes", log[0]);
            Assert.EndsWith("; skipped", log[0]);
            Assert.Contains("FIFO of 0 bytes", manager.Bindings[0].Error);
        }

        [Fact]
        public void AnAdapterWithoutItsIoBarIsSkipped()
        {
            using var sim = new SimSvga();
            var log = new List<string>();
            var manager = new DeviceManager();
            manager.AddBus(new FakePciBus(new FakeBusPciFunction(Adapter(sim, ioBar0: false), "svga")));
            manager.AddDriver(new VmwareSvgaDriver(log.Add, sim.Map));
            manager.Probe();
            Assert.Empty(manager.Devices);
            Assert.Contains("expected an I/O BAR0", Assert.Single(log));
        }
    }
}
