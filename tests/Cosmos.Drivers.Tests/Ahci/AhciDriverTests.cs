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
            manager.AddBus(new OneDeviceBus(Function(rig)));
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
            manager.AddBus(new OneDeviceBus(Function(dead), Function(alive)));
            manager.AddDriver(new AhciDriver(alive.Dma, log.Add, AhciRig.ShortTimeouts));
            manager.Probe();
            Assert.Equal("[ahci] 0000:00:04.0: HBA reset did not complete (GHC.HR still set after 50 ms, GHC=0x80000001); skipped", log[0]);
            Assert.Null(manager.Bindings[0].DriverName);
            Assert.Contains("HBA reset did not complete", manager.Bindings[0].Error);
            Assert.Equal("ahci", manager.Bindings[1].DriverName);
            Assert.Equal("sda", Assert.Single(manager.Devices).Name);
        }

        private static BusPciFunction Function(AhciRig rig, byte subclass = 0x06, byte progIf = 0x01)
        {
            var function = new FakePciFunction(0x2922, 0x1100, vendorId: 0x8086) { ClassCode = 0x01, Subclass = subclass, ProgIf = progIf };
            function.AddBar(5, PciBarKind.Memory32, 0x1000 + 0x100, rig.Hba);
            return new BusPciFunction(function);
        }

        private sealed class OneDeviceBus : IBus
        {
            private readonly IBusDevice[] _devices;

            public OneDeviceBus(params IBusDevice[] devices) => _devices = devices;

            public string Name => "pci";

            public IReadOnlyList<IBusDevice> Enumerate() => _devices;
        }

        /// <summary>A fake PCI function as the PCI bus offers it.</summary>
        private sealed class BusPciFunction : IPciFunction, IBusDevice
        {
            private readonly FakePciFunction _inner;

            public BusPciFunction(FakePciFunction inner) => _inner = inner;

            public string Bus => "pci";

            string IBusDevice.Address => _inner.Address.ToString();

            public string Description => "fake AHCI";

            public PciAddress Address => _inner.Address;

            public ushort VendorId => _inner.VendorId;

            public ushort DeviceId => _inner.DeviceId;

            public byte Revision => _inner.Revision;

            public ushort SubsystemId => _inner.SubsystemId;

            public byte ClassCode => _inner.ClassCode;

            public byte Subclass => _inner.Subclass;

            public byte ProgIf => _inner.ProgIf;

            public IPciConfigSpace Config => _inner.Config;

            public IReadOnlyList<PciBar> Bars => _inner.Bars;

            public IReadOnlyList<PciCapability> Capabilities => _inner.Capabilities;

            public IRegisterBlock MapBar(int barIndex, ulong offset, ulong length) => _inner.MapBar(barIndex, offset, length);

            public IInterruptSource EnableInterrupts(int wantedVectors) => _inner.EnableInterrupts(wantedVectors);
        }
    }
}
