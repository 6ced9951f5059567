using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Net;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Net
{
    /// <summary>virtio-net bring-up: features, configuration (MAC, status, MTU), link changes, the driver registry.</summary>
    public class VirtioNetDeviceTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ConfigurationGivesMacLinkAndMtu(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, mtu: 4000);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(SimNetDevice.DefaultMac, nic.MacAddress.ToArray());
            Assert.True(nic.MacFromDevice);
            Assert.True(nic.IsLinkUp);
            Assert.Equal(4000, nic.Mtu);
            Assert.Equal(4018, nic.MaxFrameLength);
            Assert.True(nic.MergeableReceiveBuffers);
            Assert.True(nic.OffloadsTransmitChecksum);
            Assert.Equal(12, nic.HeaderLength);
            Assert.Equal(DeviceClass.Network, nic.Class);
            Assert.Equal("eth", nic.NameStem);
            Assert.Equal("virtio-net", nic.DriverName);
            Assert.Empty(nic.Faults);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void OnlyTheFeaturesTheDriverImplementsAreNegotiated(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            sim.StartDriver();
            ulong offered = sim.Device.OfferedFeatures;
            ulong expected = offered & SimNetDevice.DriverFeatures;
            if (layout == SimLayout.PciLegacy)
            {
                expected &= 0xFFFF_FFFF; // the legacy register carries bits 0-31 only
            }

            Assert.Equal(expected, sim.Device.DriverFeatures);
            Assert.False(sim.Negotiated(SimNetDevice.FeatureGuestTso4));
            Assert.False(sim.Negotiated(SimNetDevice.FeatureHostTso4));
            Assert.False(sim.Negotiated(SimNetDevice.FeatureCtrlVq));
        }

        [Fact]
        public void TheSummaryLineNamesTheInterfaceAndWhatWasNegotiated()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            nic.Name = "eth0";
            Assert.Equal("[virtio-net] eth0: mac 52:54:00:12:34:56, mtu 1500, link up, mrg_rxbuf, csum, guest_csum", nic.Summary);

            using SimNetDevice plain = SimNetDevice.Create(SimLayout.PciModern, features: SimDevice.FeatureVersion1 | SimNetDevice.FeatureMac | SimNetDevice.FeatureStatus, linkUp: false);
            VirtioNetDevice other = plain.StartDriver();
            other.Name = "eth1";
            Assert.Equal("[virtio-net] eth1: mac 52:54:00:12:34:56, mtu 1500, link down", other.Summary);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WithoutMacTheDriverMakesALocallyAdministeredUnicastAddress(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, features: SimNetDevice.AllFeatures & ~SimNetDevice.FeatureMac);
            VirtioNetDevice nic = sim.StartDriver();
            byte[] mac = nic.MacAddress.ToArray();
            Assert.False(nic.MacFromDevice);
            Assert.Equal(0x02, mac[0] & 0x03);
            Assert.NotEqual(SimNetDevice.DefaultMac, mac);
            Assert.Contains("(generated)", nic.Summary);
        }

        [Fact]
        public void AMulticastMacFromTheDeviceIsReplacedAndReported()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern, mac: new byte[] { 0x01, 0, 0x5E, 0, 0, 1 });
            VirtioNetDevice nic = sim.StartDriver();
            Assert.False(nic.MacFromDevice);
            Assert.Equal(0x02, nic.MacAddress[0] & 0x03);
            Assert.Contains(nic.Faults, f => f.Contains("01:00:5e:00:00:01", StringComparison.Ordinal));
        }

        [Fact]
        public void WithoutMtuTheMtuIs1500()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern, features: SimNetDevice.AllFeatures & ~SimNetDevice.FeatureMtu, mtu: 9000);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(1500, nic.Mtu);
            Assert.Equal(1518, nic.MaxFrameLength);
        }

        [Fact]
        public void AnMtuBelow68IsReportedAndReplacedBy1500()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern, mtu: 20);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(1500, nic.Mtu);
            Assert.Contains(nic.Faults, f => f.Contains("mtu 20", StringComparison.Ordinal));
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WithoutStatusTheLinkIsUpWhateverTheConfigurationSays(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, features: SimNetDevice.AllFeatures & ~SimNetDevice.FeatureStatus, linkUp: false);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.False(nic.HasLinkStatus);
            Assert.True(nic.IsLinkUp);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ALinkChangeArrivesByConfigurationInterrupt(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.NotEqual(InterruptMode.Polled, nic.InterruptMode);
            Assert.True(nic.IsLinkUp);

            // Without the interrupt the driver has no reason to look again.
            sim.SetLink(false, signal: false);
            Assert.True(nic.IsLinkUp);

            sim.Device.SignalConfigChange();
            Assert.Equal(1, nic.ConfigurationChanges);
            Assert.False(nic.IsLinkUp);

            sim.SetLink(true);
            Assert.True(nic.IsLinkUp);
            Assert.Equal(2, nic.ConfigurationChanges);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void APolledDeviceReadsTheLinkAtEveryLook()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.MmioV2, interrupts: InterruptMode.Polled);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(InterruptMode.Polled, nic.InterruptMode);
            sim.SetLink(false, signal: false);
            Assert.False(nic.IsLinkUp);
            sim.SetLink(true, signal: false);
            Assert.True(nic.IsLinkUp);
        }

        [Fact]
        public void ADeviceWithOneQueueIsRefusedWithASentence()
        {
            var options = new SimOptions { DeviceType = 1, Features = SimNetDevice.AllFeatures, QueueCount = 1, ConfigLength = 24 };
            using SimRig rig = SimRig.Create(SimLayout.PciModern, options);
            VirtioResult<VirtioNetDevice> started = VirtioNetDevice.Start(rig.Transport, rig.Memory);
            Assert.False(started.IsSuccess);
            Assert.Contains("1 queues", started.Error, StringComparison.Ordinal);
            Assert.NotEqual(0, rig.Device.Status & 128); // FAILED
        }

        [Theory]
        [InlineData(SimLayout.MmioV1, "mmio v1")]
        [InlineData(SimLayout.MmioV2, "mmio v2")]
        public void TheVirtioDriverRegistersANetworkDeviceAsEth0(SimLayout layout, string transport)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            var manager = new DeviceManager();
            var driver = new VirtioDriver(sim.Rig.Memory, new SimWaiter());
            IBusDevice bus = new VirtioMmioSlot(0xFEB0_0000, (VirtioMmioTransport)sim.Rig.Transport);
            sim.Device.AutoProcess = false;
            Assert.True(driver.Matches(bus));
            Assert.Null(driver.Bind(bus, manager));
            DeviceEntry entry = Assert.Single(manager.Devices);
            Assert.Equal("eth0", entry.Name);
            var nic = Assert.IsType<VirtioNetDevice>(entry.Device);
            Assert.Equal("eth0", nic.Name);
            Assert.StartsWith("[virtio-net] eth0: mac 52:54:00:12:34:56", nic.Summary, StringComparison.Ordinal);
            Assert.Contains(transport, nic.Transport, StringComparison.Ordinal);
        }
    }
}
