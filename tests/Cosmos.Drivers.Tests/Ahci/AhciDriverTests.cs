using System;
using System.Collections.Generic;
using Cosmos.Drivers.Ahci;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Xunit;

namespace Cosmos.Drivers.Tests.Ahci
{
    /// <summary>The AHCI driver through the device manager: matching, naming, and a dead HBA reported while the boot goes on.</summary>
    public class AhciDriverTests
    {
        [Fact]
        public void MatchesOnlyAhciClassFunctions()
        {
            using var rig = new AhciRig();
            var driver = new AhciDriver(rig.Dma, _ => { });
            Assert.True(driver.Matches(Function(rig, subclass: 0x06, progIf: 0x01)));
            Assert.False(driver.Matches(Function(rig, subclass: 0x06, progIf: 0x00))); // vendor-specific SATA
            Assert.False(driver.Matches(Function(rig, subclass: 0x01, progIf: 0x80))); // IDE
        }

        [Fact]
        public void DisksRegisterAsSdaAndSdbAndAreLogged()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(1024));
            rig.Hba.Attach(4, new SimAhciDrive(2048));
            var log = new List<string>();
            var manager = new DeviceManager();
            manager.AddBus(new FakePciBus(Function(rig)));
            manager.AddDriver(new AhciDriver(rig.Dma, log.Add, AhciRig.ShortTimeouts));
            manager.Probe();
            Assert.Equal(new[] { "sda", "sdb" }, System.Linq.Enumerable.Select(manager.Devices, d => d.Name));
            Assert.Equal("ahci", manager.Bindings[0].DriverName);
            Assert.Equal(new[]
            {
                "[ahci] sda: 1024 sectors, 512 B, \"QEMU HARDDISK\" on ahci 0000:00:04.0 port 0",
                "[ahci] sdb: 2048 sectors, 512 B, \"QEMU HARDDISK\" on ahci 0000:00:04.0 port 4",
            }, log);
        }

        [Fact]
        public void AnHbaThatDoesNotAnswerResetIsLoggedAndSkippedAndTheNextDeviceStillBinds()
        {
            using var dead = new AhciRig();
            dead.Hba.ResetNeverCompletes = true;
            using var alive = new AhciRig();
            alive.Hba.Attach(0, new SimAhciDrive(64));
            var log = new List<string>();
            var manager = new DeviceManager();
            manager.AddBus(new FakePciBus(Function(dead), Function(alive)));
            manager.AddDriver(new AhciDriver(alive.Dma, log.Add, AhciRig.ShortTimeouts));
            manager.Probe();
            Assert.Equal("[ahci] 0000:00:04.0: HBA reset did not complete (GHC.HR still set after 50 ms, GHC=0x80000001); skipped", log[0]);
            Assert.Null(manager.Bindings[0].DriverName);
            Assert.Contains("HBA reset did not complete", manager.Bindings[0].Error);
            Assert.Equal("ahci", manager.Bindings[1].DriverName);
            Assert.Equal("sda", Assert.Single(manager.Devices).Name);
        }

        private static FakeBusPciFunction Function(AhciRig rig, byte subclass = 0x06, byte progIf = 0x01)
        {
            var function = new FakePciFunction(0x2922, 0x1100, vendorId: 0x8086) { ClassCode = 0x01, Subclass = subclass, ProgIf = progIf };
            function.AddBar(5, PciBarKind.Memory32, 0x1000 + 0x100, rig.Hba);
            return new FakeBusPciFunction(function, "fake AHCI");
        }
    }
}
