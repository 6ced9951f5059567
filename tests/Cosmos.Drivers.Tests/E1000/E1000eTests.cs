using System.Collections.Generic;
using Cosmos.Drivers.E1000;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Xunit;

namespace Cosmos.Drivers.Tests.E1000
{
    /// <summary>The 82574L (e1000e) through the e1000 driver: its EERD layout, MSI-X routed through IVAR with ICR acknowledged by writing it, and its name.</summary>
    public class E1000eTests
    {
        private static E1000Device Start(E1000Rig rig) =>
            E1000Device.Start(rig.Registers, E1000Model.I82574, rig.Dma, E1000Rig.ShortTimeouts, "e1000e test", out string? error)
            ?? throw new System.InvalidOperationException(error);

        [Fact]
        public void TheDriverBinds82574LAsE1000eWithMsiX()
        {
            using var rig = new E1000Rig();
            rig.Nic.Is82574 = true;
            rig.Nic.MsixEnabled = true;
            var log = new List<string>();
            var manager = new DeviceManager();
            var function = new FakePciFunction(0x10D3, 0x0000, vendorId: 0x8086) { ClassCode = 0x02, OfferedMode = InterruptMode.MsiX, OfferedVectors = 5 };
            function.AddBar(0, PciBarKind.Memory32, 0x20000, rig.Nic);
            manager.AddBus(new FakePciBus(new FakeBusPciFunction(function, "fake 82574L")));
            manager.AddDriver(new E1000Driver(rig.Dma, log.Add, E1000Rig.ShortTimeouts));
            manager.Probe();

            DeviceEntry entry = Assert.Single(manager.Devices);
            Assert.Equal("eth0", entry.Name);
            var nic = (E1000Device)entry.Device;
            Assert.Equal("e1000e", nic.DriverName);
            Assert.Same(E1000Model.I82574, nic.Model);
            Assert.Equal(InterruptMode.MsiX, nic.InterruptMode);
            Assert.Equal(new[] { "[e1000e] eth0: mac 52:54:00:12:34:56, link up, 64 rx/64 tx descriptors" }, log);

            // IVAR routes RxQ0, TxQ0 and Other to vector 0 (valid bits set); IMS takes RXQ0 and OTHER too.
            Assert.Equal(0x00080808u, rig.Nic[0x00E4]);
            Assert.Equal(1u << 20, rig.Nic[0x00D0] & (1u << 20));
            Assert.Equal(1u << 24, rig.Nic[0x00D0] & (1u << 24));

            int arrived = 0;
            nic.FramesArrived = () => arrived++;
            rig.Nic.Interrupt = () => function.Interrupts!.Raise(0);
            rig.Nic.Deliver(E1000Rig.Frame(70));
            Assert.Equal(1, arrived);
            Assert.Equal(0u, rig.Nic[0x00C0]);          // the handler wrote the causes back: ICR is clear
            rig.Nic.Deliver(E1000Rig.Frame(80));
            Assert.Equal(2, arrived);

            Assert.Equal(70, nic.TryReceive(new byte[2048]));
        }

        [Fact]
        public void WithIntxReadingIcrAcknowledgesAndIvarIsLeftAlone()
        {
            using var rig = new E1000Rig();
            rig.Nic.Is82574 = true;
            E1000Device nic = Start(rig);
            var source = new FakeInterruptSource(InterruptMode.Intx, 1);
            nic.AttachInterrupts(source);
            Assert.Equal(0u, rig.Nic[0x00E4]);
            int arrived = 0;
            nic.FramesArrived = () => arrived++;
            rig.Nic.Interrupt = () => source.Raise(0);
            rig.Nic.Deliver(E1000Rig.Frame(64));
            Assert.Equal(1, arrived);
            Assert.Equal(0u, rig.Nic[0x00C0]);
        }

        [Fact]
        public void TheMacComesFromTheEepromThroughThe82574sEerdLayout()
        {
            using var rig = new E1000Rig();
            rig.Nic.Is82574 = true;
            rig.Nic.ResetLeavesReceiveAddressEmpty = true;
            E1000Device nic = Start(rig);
            Assert.True(nic.MacFromEeprom);
            Assert.Equal(rig.Nic.Mac, nic.MacAddress.ToArray());
            Assert.Equal(3, rig.Nic.EepromReads);
        }

        [Fact]
        public void The8254xEerdLayoutOnAn82574NeverSeesDoneAndIsReportedNotHung()
        {
            using var rig = new E1000Rig();
            rig.Nic.Is82574 = true;
            rig.Nic.ResetLeavesReceiveAddressEmpty = true;
            // The 8254x layout waits for DONE at bit 4; the 82574 sets bit 1 (and word 0's address is 0): a bounded wait that fails.
            Assert.Null(E1000Device.Start(rig.Registers, E1000Model.I8254x, rig.Dma, E1000Rig.ShortTimeouts, "wrong layout", out string? error));
            Assert.StartsWith("no MAC address: RAH0.AV clear", error);
        }

        [Fact]
        public void AnEepromThatNeverAnswersIsReported()
        {
            using var rig = new E1000Rig();
            rig.Nic.Is82574 = true;
            rig.Nic.ResetLeavesReceiveAddressEmpty = true;
            rig.Nic.EepromNeverAnswers = true;
            Assert.Null(E1000Device.Start(rig.Registers, E1000Model.I82574, rig.Dma, E1000Rig.ShortTimeouts, "silent eeprom", out string? error));
            Assert.Contains("did not answer EERD for word 0 within 5 ms", error);
        }
    }
}
