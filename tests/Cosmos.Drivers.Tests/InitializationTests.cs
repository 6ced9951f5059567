using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class InitializationTests
    {
        [Theory]
        [MemberData(nameof(Layouts.Modern), MemberType = typeof(Layouts))]
        public void ModernSequenceIsResetAckDriverFeaturesOkDriverOk(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            DriverHarness.Start(rig);
            Assert.Equal(new byte[] { 0, 1, 3, 11, 15 }, rig.Device.StatusWrites);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.Legacy), MemberType = typeof(Layouts))]
        public void LegacySequenceHasNoFeaturesOk(SimLayout layout)
        {
            // §3.1.2: legacy devices know no FEATURES_OK; steps 5 and 6 are skipped.
            using SimRig rig = SimRig.Create(layout);
            DriverHarness.Start(rig);
            Assert.Equal(new byte[] { 0, 1, 3, 7 }, rig.Device.StatusWrites);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void NegotiatesTheIntersectionPlusRingFeatures(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout, new SimOptions { Features = SimOptions.DefaultFeatures | (1UL << 34) });
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);

            // The driver knows device bits 0, 2 and 4, and (wrongly) asks for RING_PACKED: the core strips it.
            DriverHarness.Check(init.NegotiateFeatures(0b10101 | VirtioFeatures.RingPacked));
            bool modern = !rig.Transport.IsLegacy;
            ulong expected = 0b00001 | VirtioFeatures.IndirectDescriptors | VirtioFeatures.EventIndex | (modern ? VirtioFeatures.Version1 : 0);
            Assert.Equal(expected, init.NegotiatedFeatures);
            Assert.Equal(expected, rig.Device.DriverFeatures);
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void RingFeaturesCanBeDeclined()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);
            DriverHarness.Check(init.NegotiateFeatures(0, VirtqueueRingFeatures.None));
            Assert.Equal(VirtioFeatures.Version1, init.NegotiatedFeatures);
        }

        [Theory]
        [MemberData(nameof(Layouts.Modern), MemberType = typeof(Layouts))]
        public void RefusedFeaturesOkFailsWithTheFeaturesAndStatus(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            rig.Device.RefuseFeaturesOk = true;
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            VirtioResult result = init.NegotiateFeatures(0b1);
            Assert.False(result.IsSuccess);
            Assert.Equal("virtio-blk: device refused features 0x130000001 (offered 0x13000000b): FEATURES_OK did not stick, status 0x03", result.Error);
            Assert.Equal(0x83, rig.Device.Status);

            // Every later step reports the same failure instead of driving a failed device.
            VirtioResult<SplitVirtqueue> queue = init.CreateQueue(0, 8);
            Assert.Equal(result.Error, queue.Error);
            Assert.Equal(result.Error, init.Finish().Error);
        }

        [Theory]
        [MemberData(nameof(Layouts.Modern), MemberType = typeof(Layouts))]
        public void ModernTransportWithoutVersion1Fails(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout, new SimOptions { Features = 0b11 | SimDevice.FeatureEventIndex });
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);
            VirtioResult result = init.NegotiateFeatures(0b11);
            Assert.False(result.IsSuccess);
            Assert.Contains("does not offer VERSION_1 (features 0x20000003)", result.Error);
            Assert.Equal(0x80, rig.Device.Status & 0x80);
        }

        [Fact]
        public void Version1IsNeverNegotiatedOverALegacyInterface()
        {
            using SimRig rig = SimRig.Create(SimLayout.MmioV1);
            rig.Device.OfferedFeatures |= SimDevice.FeatureVersion1;
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);
            DriverHarness.Check(init.NegotiateFeatures(0b1));
            Assert.Equal(0UL, init.NegotiatedFeatures & VirtioFeatures.Version1);
            Assert.Equal(0UL, init.NegotiatedFeatures >> 32);
        }

        [Fact]
        public void ResetIsAwaited()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            rig.Device.WriteStatus(1);
            rig.Device.ResetLatencyReads = 5;
            DriverHarness.Start(rig);
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void ResetThatNeverCompletesFails()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            rig.Device.WriteStatus(1);
            rig.Device.ResetLatencyReads = -1;
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            Assert.Equal("virtio-blk: reset did not complete, status still 0x01", init.NegotiateFeatures(0).Error);
        }

        [Theory]
        [InlineData(SimLayout.PciModern, 1024, 256, 256)]
        [InlineData(SimLayout.PciModern, 100, 256, 64)]
        [InlineData(SimLayout.MmioV2, 1000, 1000, 512)]
        [InlineData(SimLayout.MmioV1, 64, 256, 64)]
        [InlineData(SimLayout.PciLegacy, 128, 16, 128)]  // legacy queue size is read-only
        public void QueueSizeIsClampedToTheDeviceMaximumAndAPowerOfTwo(SimLayout layout, int deviceMaximum, int preferred, int expected)
        {
            using SimRig rig = SimRig.Create(layout, new SimOptions { MaxQueueSize = deviceMaximum });
            VirtioDeviceInitializer init = DriverHarness.Start(rig, queueSize: preferred);
            Assert.Equal(expected, init.Queues[0].Size);
            Assert.Equal(expected, rig.Device.Queues[0].Size);
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void LegacyQueueOfAnImpossibleSizeFails()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciLegacy, new SimOptions { MaxQueueSize = 100 });
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.Equal("virtio-blk: queue 0 has the fixed size 100, not a power of two up to 32768", init.CreateQueue(0, 64).Error);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void QueueThatDoesNotExistFails(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.Equal("virtio-blk: queue 2 does not exist, the device has 2", init.CreateQueue(2, 8).Error);
        }

        [Fact]
        public void QueueSetUpTwiceFails()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.True(init.CreateQueue(0, 8).IsSuccess);
            Assert.Equal("virtio-blk (pci-modern 0000:00:04.0): queue 0 is already enabled", init.CreateQueue(0, 8).Error);
        }

        [Fact]
        public void NoDmaMemoryFailsTheQueue()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            rig.Memory.AllocationsLeft = 0;
            Assert.Equal("virtio-blk: no DMA memory for queue 0 of size 8 (222 bytes of rings)", init.CreateQueue(0, 8).Error);
        }

        [Fact]
        public void DeviceNeedingResetAtDriverOkFails()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            rig.Device.StatusAddedAtDriverOk = 0x40;
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.Equal("virtio-blk: device reported status 0x4f after DRIVER_OK", init.Finish().Error);
            Assert.False(init.IsLive);
        }

        [Fact]
        public void StepsOutOfOrderThrow()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);
            Assert.Throws<InvalidOperationException>(() => init.CreateQueue(0, 8));
            Assert.Throws<InvalidOperationException>(() => init.Finish());
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.Throws<InvalidOperationException>(() => init.NegotiateFeatures(0));
            Assert.True(init.CreateQueue(0, 8).IsSuccess);
            Assert.Throws<InvalidOperationException>(() => init.EnableInterrupts(1));
            DriverHarness.Check(init.Finish());
            Assert.Throws<InvalidOperationException>(() => init.CreateQueue(1, 8));
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void NotificationsWaitForDriverOk(SimLayout layout)
        {
            // §3.1.1: buffers may be added before DRIVER_OK (a network driver's receive buffers), but
            // the device is notified only once it is live.
            using SimRig rig = SimRig.Create(layout);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);
            DriverHarness.Check(init.NegotiateFeatures(0));
            DriverHarness.Check(init.EnableInterrupts(1));
            SplitVirtqueue queue = init.CreateQueue(0, 8).Value;
            DmaBuffer receive = DriverHarness.Space(rig, 64);
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([], [receive], out int token));
            Assert.False(queue.NotifyDevice());
            Assert.Equal(0, rig.Device.Queues[0].Notifications);

            DriverHarness.Check(init.Finish());
            Assert.Equal(1, rig.Device.Queues[0].Notifications);
            Assert.True(queue.TryTakeCompletion(token, out VirtqueueCompletion completion));
            Assert.Equal(0u, completion.WrittenLength);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void DriversCanGiveUpAndTheDeviceSeesFailed(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.Equal("virtio-blk: capacity 0", init.Fail("virtio-blk: capacity 0").Error);
            Assert.Equal(0x80, rig.Device.Status & 0x80);
            Assert.Equal("virtio-blk: capacity 0", init.Error);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void DescriptionNamesTransportTypeAndInterrupts(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            DriverHarness.Start(rig);
            string description = rig.Transport.Describe();
            Assert.Contains("blk", description);
            bool mmio = layout is SimLayout.MmioV1 || layout is SimLayout.MmioV2;
            Assert.Contains(mmio ? "irq intx" : "irq msi-x x2", description);
        }
    }
}
