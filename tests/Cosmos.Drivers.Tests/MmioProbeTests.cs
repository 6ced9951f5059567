using Cosmos.Drivers.Tests.Fakes;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Transport;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class MmioProbeTests
    {
        private static readonly FakeInterruptSource Polled = new(Cosmos.HAL.Hardware.InterruptMode.Polled, 0);

        [Theory]
        [InlineData(1u, VirtioTransportKind.MmioV1)]
        [InlineData(2u, VirtioTransportKind.MmioV2)]
        public void FindsADeviceOfEitherVersion(uint version, VirtioTransportKind kind)
        {
            using var memory = new FakeDmaAllocator();
            var device = new SimDevice(memory, 1, 0, 2, 256, 8);
            var window = new RegisterWindow(new MmioRegisters(device, version), 0, 0x200, "mmio 0xfeb00000+0x200");
            Assert.Equal(VirtioMmioProbeStatus.Found, VirtioMmioTransport.Probe(window, Polled, out VirtioMmioTransport? transport));
            Assert.NotNull(transport);
            Assert.Equal(kind, transport!.Kind);
            Assert.Equal(VirtioDeviceType.Network, transport.DeviceType);
            Assert.Equal(version == 1, transport.IsLegacy);
            Assert.Equal(version == 2, transport.HasConfigGeneration);
            Assert.Equal(2, transport.QueueCount);
            Assert.Contains($"mmio v{version} mmio 0xfeb00000+0x200 net", transport.Describe());
        }

        [Fact]
        public void EmptySlotStopsAtDeviceId()
        {
            // §4.2.3.1.1: DeviceID 0 means no device, and no other register may be accessed.
            using var memory = new FakeDmaAllocator();
            var registers = new MmioRegisters(new SimDevice(memory, 0, 0, 0, 0, 0), 2);
            var window = new RegisterWindow(registers, 0, 0x200, "slot");
            Assert.Equal(VirtioMmioProbeStatus.EmptySlot, VirtioMmioTransport.Probe(window, Polled, out VirtioMmioTransport? transport));
            Assert.Null(transport);
            Assert.Equal(new ulong[] { 0x000, 0x004, 0x008 }, registers.Accesses);
        }

        [Fact]
        public void WrongMagicIsNotVirtio()
        {
            using var memory = new FakeDmaAllocator();
            var registers = new MmioRegisters(new SimDevice(memory, 2, 0, 1, 8, 0), 2, magic: 0x12345678);
            var window = new RegisterWindow(registers, 0, 0x200, "slot");
            Assert.Equal(VirtioMmioProbeStatus.NotVirtio, VirtioMmioTransport.Probe(window, Polled, out _));
            Assert.Equal(new ulong[] { 0x000 }, registers.Accesses);
        }

        [Fact]
        public void UnknownVersionIsRefused()
        {
            using var memory = new FakeDmaAllocator();
            var window = new RegisterWindow(new MmioRegisters(new SimDevice(memory, 2, 0, 1, 8, 0), 3), 0, 0x200, "slot");
            Assert.Equal(VirtioMmioProbeStatus.UnsupportedVersion, VirtioMmioTransport.Probe(window, Polled, out _));
        }

        [Fact]
        public void WindowSmallerThanTheRegistersIsRefused()
        {
            using var memory = new FakeDmaAllocator();
            var window = new RegisterWindow(new MmioRegisters(new SimDevice(memory, 2, 0, 1, 8, 0), 2), 0, 0x80, "slot");
            Assert.Equal(VirtioMmioProbeStatus.WindowTooSmall, VirtioMmioTransport.Probe(window, Polled, out _));
        }

        [Fact]
        public void WithoutALineTheDeviceIsPolled()
        {
            using SimRig rig = SimRig.Create(SimLayout.MmioV2, new SimOptions { Interrupts = Cosmos.HAL.Hardware.InterruptMode.Polled });
            VirtioDeviceInitializer init = DriverHarness.Start(rig);
            Assert.Equal(Cosmos.HAL.Hardware.InterruptMode.Polled, init.InterruptMode);
            Assert.True(DriverHarness.RoundTrip(init.Queues[0], [DriverHarness.Bytes(rig, "x")], []).IsSuccess);
            Assert.Equal(0, rig.Device.Queues[0].InterruptsSignalled);
        }
    }
}
