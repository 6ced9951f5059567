using Cosmos.Drivers.Tests.Fakes;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Pci;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class PciTransportSelectionTests
    {
        [Theory]
        [InlineData(0x1041, 0, VirtioDeviceType.Network)]
        [InlineData(0x1042, 0, VirtioDeviceType.Block)]
        [InlineData(0x1050, 0, VirtioDeviceType.Gpu)]
        [InlineData(0x1052, 0, VirtioDeviceType.Input)]
        [InlineData(0x1000, 1, VirtioDeviceType.Network)]
        [InlineData(0x1001, 2, VirtioDeviceType.Block)]
        [InlineData(0x1003, 3, VirtioDeviceType.Console)]
        [InlineData(0x1234, 2, VirtioDeviceType.Invalid)]
        [InlineData(0x1040, 0, VirtioDeviceType.Invalid)]
        public void DeviceTypeComesFromTheModernIdOrTheSubsystemId(int deviceId, int subsystemId, VirtioDeviceType expected)
        {
            Assert.Equal(expected, VirtioPciTransportFactory.GetDeviceType((ushort)deviceId, (ushort)subsystemId));
        }

        [Fact]
        public void ModernDeviceGetsTheModernTransport()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            Assert.Equal(VirtioTransportKind.PciModern, rig.Transport.Kind);
            Assert.Equal(VirtioDeviceType.Block, rig.Transport.DeviceType);
            Assert.False(rig.Transport.IsLegacy);
        }

        [Fact]
        public void TransitionalDeviceIsDrivenThroughItsModernInterface()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciTransitional);
            Assert.Equal(VirtioTransportKind.PciModern, rig.Transport.Kind);
            Assert.Equal(VirtioDeviceType.Block, rig.Transport.DeviceType);
            Assert.DoesNotContain(rig.Pci!.MappedWindows, w => w.Contains("bar0"));
        }

        [Fact]
        public void DeviceWithoutCapabilitiesGetsTheLegacyTransportAndItsTypeFromTheSubsystem()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciLegacy, new SimOptions { DeviceType = 1 });
            Assert.Equal(VirtioTransportKind.PciLegacy, rig.Transport.Kind);
            Assert.Equal(VirtioDeviceType.Network, rig.Transport.DeviceType);
            Assert.True(rig.Transport.IsLegacy);
            Assert.Contains("pci-legacy", rig.Transport.Describe());
        }

        [Fact]
        public void RegionsAreFoundThroughCapabilitiesWhateverTheBarAndOrder()
        {
            // Like virtio-gpu with hostmem: regions in BAR2, listed in an unusual order, after a
            // PCI_CFG capability, a capability naming reserved BAR 7, and a common capability in a
            // BAR that does not exist (all to be skipped: §4.1.4.1).
            using var memory = new FakeDmaAllocator();
            var device = new SimDevice(memory, 16, SimOptions.DefaultFeatures, 2, 64, 16);
            var registers = new ModernPciRegisters(device, 8);
            var pci = new FakePciFunction(0x1050, 1);
            pci.AddBar(2, PciBarKind.Memory64, ModernPciRegisters.BarSize, registers);
            pci.AddVirtioCapability(5, 0, 0, 0);                          // VIRTIO_PCI_CAP_PCI_CFG
            pci.AddVirtioCapability(1, 7, 0, 0x38);                       // reserved BAR
            pci.AddVirtioCapability(1, 3, 0, 0x38);                       // BAR 3 does not exist
            pci.AddVirtioCapability(2, 2, (uint)ModernPciRegisters.NotifyAt, 0x1000, 8);
            pci.AddVirtioCapability(4, 2, (uint)ModernPciRegisters.DeviceAt, 16);
            pci.AddVirtioCapability(3, 2, (uint)ModernPciRegisters.IsrAt, 1);
            pci.AddVirtioCapability(1, 2, (uint)ModernPciRegisters.CommonAt, 0x38);
            pci.AddVirtioCapability(1, 2, 0x800, 0x38);                   // a second common: the first wins

            VirtioResult<IVirtioTransport> result = VirtioPciTransportFactory.Create(pci);
            Assert.True(result.IsSuccess, result.Error);
            IVirtioTransport transport = result.Value;
            Assert.Equal(VirtioDeviceType.Gpu, transport.DeviceType);
            Assert.Equal(2, transport.QueueCount);
            string description = transport.Describe();
            Assert.Contains("common bar2+0x0", description);
            Assert.Contains("notify bar2+0x3000 x8", description);
            Assert.Contains("isr bar2+0x1000", description);
            Assert.Contains("device bar2+0x2000", description);

            // Queue 1's notify_off is 0 and queue 0's is 1 in this simulation: the multiplier matters.
            device.AutoProcess = false;
            var init = new VirtioDeviceInitializer(transport, memory);
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.True(init.CreateQueue(0, 8).IsSuccess);
            Assert.True(init.CreateQueue(1, 8).IsSuccess);
            DriverHarness.Check(init.Finish());
            transport.Notify(0);
            transport.Notify(1);
            transport.Notify(1);
            Assert.Equal(1, device.Queues[0].Notifications);
            Assert.Equal(2, device.Queues[1].Notifications);
            Assert.Empty(device.Violations);
        }

        [Fact]
        public void ModernIdWithoutCapabilitiesIsAnErrorNamingTheMissingOne()
        {
            var pci = new FakePciFunction(0x1042, 1);
            VirtioResult<IVirtioTransport> result = VirtioPciTransportFactory.Create(pci);
            Assert.False(result.IsSuccess);
            Assert.Contains("virtio-blk", result.Error);
            Assert.Contains("common configuration", result.Error);
        }

        [Fact]
        public void ShortCommonCapabilityIsRefused()
        {
            using var memory = new FakeDmaAllocator();
            var device = new SimDevice(memory, 2, SimOptions.DefaultFeatures, 1, 64, 16);
            var pci = new FakePciFunction(0x1042, 1);
            pci.AddBar(4, PciBarKind.Memory64, ModernPciRegisters.BarSize, new ModernPciRegisters(device, 4));
            pci.AddVirtioCapability(1, 4, 0, 0x20);
            pci.AddVirtioCapability(2, 4, (uint)ModernPciRegisters.NotifyAt, 0x1000, 4);
            pci.AddVirtioCapability(3, 4, (uint)ModernPciRegisters.IsrAt, 1);
            VirtioResult<IVirtioTransport> result = VirtioPciTransportFactory.Create(pci);
            Assert.False(result.IsSuccess);
            Assert.Contains("common configuration is 32 bytes", result.Error);
        }

        [Fact]
        public void OtherVendorsAreNotVirtio()
        {
            var pci = new FakePciFunction(0x100E, 0, vendorId: 0x8086);
            Assert.False(VirtioPciTransportFactory.IsVirtio(pci));
            VirtioResult<IVirtioTransport> result = VirtioPciTransportFactory.Create(pci);
            Assert.Contains("8086:100e is not a VirtIO device", result.Error);
        }

        [Fact]
        public void LegacyDeviceWithoutAnIoBarIsAnError()
        {
            var pci = new FakePciFunction(0x1001, 2);
            VirtioResult<IVirtioTransport> result = VirtioPciTransportFactory.Create(pci);
            Assert.False(result.IsSuccess);
            Assert.Contains("no legacy I/O BAR0", result.Error);
        }
    }
}
