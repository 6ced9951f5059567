using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class InterruptDeliveryTests
    {
        [Theory]
        [InlineData(SimLayout.PciModern)]
        [InlineData(SimLayout.PciLegacy)]
        public void MsixGivesEachQueueItsOwnVector(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout, new SimOptions { QueueCount = 2, MsixVectors = 8 });
            VirtioDeviceInitializer init = DriverHarness.Start(rig, queues: 2);
            Assert.Equal(InterruptMode.MsiX, init.InterruptMode);
            Assert.Equal(3, rig.Pci!.WantedVectors);
            Assert.Equal(0, rig.Device.ConfigVector);
            Assert.Equal(1, rig.Device.Queues[0].Vector);
            Assert.Equal(2, rig.Device.Queues[1].Vector);

            SplitVirtqueue second = init.Queues[1];
            Assert.Equal(VirtqueueSubmitStatus.Submitted, second.Submit([DriverHarness.Bytes(rig, "q1")], [], out int token));
            second.NotifyDevice();
            Assert.Equal(new[] { 0, 0, 1 }, rig.Interrupts!.Raised);
            Assert.Equal(1, second.CompletedCount); // recorded by the interrupt handler
            Assert.Equal(1, second.InterruptCount);
            Assert.Equal(0, init.Queues[0].InterruptCount);
            Assert.True(second.TryTakeCompletion(token, out _));
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void FewVectorsAreShared()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern, new SimOptions { QueueCount = 2, MsixVectors = 2 });
            VirtioDeviceInitializer init = DriverHarness.Start(rig, queues: 2);
            Assert.Equal(0, rig.Device.ConfigVector);
            Assert.Equal(1, rig.Device.Queues[0].Vector);
            Assert.Equal(1, rig.Device.Queues[1].Vector);
            Assert.Equal(VirtqueueSubmitStatus.Submitted, init.Queues[1].Submit([DriverHarness.Bytes(rig, "x")], [], out _));
            init.Queues[1].NotifyDevice();
            Assert.Equal(new[] { 0, 1 }, rig.Interrupts!.Raised);
            Assert.Equal(1, init.Queues[0].InterruptCount); // both queues look
            Assert.Equal(1, init.Queues[1].CompletedCount);
            Assert.Contains("queues share 1", init.Interrupts!.Describe());
        }

        [Fact]
        public void OneVectorServesEverything()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern, new SimOptions { MsixVectors = 1 });
            VirtioDeviceInitializer init = DriverHarness.Start(rig);
            int configChanges = 0;
            init.ConfigChanged = () => configChanges++;
            Assert.Equal(0, rig.Device.Queues[0].Vector);
            Assert.Equal(VirtqueueSubmitStatus.Submitted, init.Queues[0].Submit([DriverHarness.Bytes(rig, "x")], [], out _));
            init.Queues[0].NotifyDevice();
            Assert.Equal(1, init.Queues[0].CompletedCount);
            Assert.Equal(0, configChanges); // the ISR said "queue" only
            rig.Device.SignalConfigChange();
            Assert.Equal(1, configChanges);
        }

        [Theory]
        [InlineData(SimLayout.PciModern, InterruptMode.Intx)]
        [InlineData(SimLayout.PciModern, InterruptMode.Msi)]
        [InlineData(SimLayout.PciLegacy, InterruptMode.Intx)]
        [InlineData(SimLayout.MmioV1, InterruptMode.Intx)]
        [InlineData(SimLayout.MmioV2, InterruptMode.Intx)]
        public void OneLineIsDecodedThroughTheIsr(SimLayout layout, InterruptMode mode)
        {
            using SimRig rig = SimRig.Create(layout, new SimOptions { Interrupts = mode, QueueCount = 2 });
            VirtioDeviceInitializer init = DriverHarness.Start(rig, queues: 2);
            Assert.Equal(mode, init.InterruptMode);
            Assert.Equal(SimDevice.NoVector, rig.Device.Queues[0].Vector);
            int configChanges = 0;
            init.ConfigChanged = () => configChanges++;

            SplitVirtqueue queue = init.Queues[0];
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "x")], [], out _));
            queue.NotifyDevice();
            Assert.Equal(1, rig.Interrupts!.Raised[0]);
            Assert.Equal(1, queue.CompletedCount);
            Assert.Equal(0, rig.Device.Isr); // read (PCI) or acknowledged (MMIO)
            Assert.Equal(0, configChanges);

            rig.Device.SignalConfigChange();
            Assert.Equal(1, configChanges);
            Assert.Equal(0, rig.Device.Isr);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [InlineData(SimLayout.PciModern)]
        [InlineData(SimLayout.PciLegacy)]
        public void ConfigurationChangesArriveOnTheirMsixVector(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            VirtioDeviceInitializer init = DriverHarness.Start(rig);
            int configChanges = 0;
            init.ConfigChanged = () => configChanges++;
            rig.Device.SignalConfigChange();
            Assert.Equal(1, configChanges);
            Assert.Equal(1, rig.Interrupts!.Raised[0]);
        }

        [Fact]
        public void SharedLineInterruptForAnotherDeviceIsIgnored()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciLegacy, new SimOptions { Interrupts = InterruptMode.Intx });
            VirtioDeviceInitializer init = DriverHarness.Start(rig);
            int configChanges = 0;
            init.ConfigChanged = () => configChanges++;
            rig.Interrupts!.Raise(0); // ISR is 0: not ours
            Assert.Equal(0, init.Queues[0].InterruptCount);
            Assert.Equal(0, configChanges);
        }

        [Fact]
        public void UsedBuffersHandlerRunsAfterTheInterruptFoundCompletions()
        {
            using SimRig rig = SimRig.Create(SimLayout.MmioV2);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            int calls = 0;
            int seenCompleted = -1;
            queue.UsedBuffersHandler = () =>
            {
                calls++;
                seenCompleted = queue.CompletedCount;
                Assert.True(queue.TryTakeNextCompletion(out _)); // the handler may use the queue
            };
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "x")], [], out _));
            queue.NotifyDevice();
            Assert.Equal(1, calls);
            Assert.Equal(1, seenCompleted);
            Assert.Equal(0, queue.CompletedCount);

            rig.MmioLine!.Raise(0); // spurious: nothing new, no call
            Assert.Equal(1, calls);
        }

        [Fact]
        public void RefusedVectorFailsInitialisation()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            rig.Device.RefuseVectors = true;
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-blk");
            DriverHarness.Check(init.NegotiateFeatures(0));
            Assert.Equal("virtio-blk: device refused MSI-X vector 0 for configuration changes", init.EnableInterrupts(1).Error);
        }

        [Fact]
        public void FunctionWithoutInterruptsIsPolled()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern, new SimOptions { Interrupts = InterruptMode.Polled });
            VirtioDeviceInitializer init = DriverHarness.Start(rig);
            Assert.Equal(InterruptMode.Polled, init.InterruptMode);
            Assert.Equal("polled", init.Interrupts!.Describe());
            SplitVirtqueue queue = init.Queues[0];
            VirtqueueCompletion completion = DriverHarness.RoundTrip(queue, [DriverHarness.Bytes(rig, "x")], []);
            Assert.True(completion.IsSuccess);
            Assert.Equal(0, rig.Device.Queues[0].InterruptsSignalled);
        }
    }
}
