using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    /// <summary>§2.7.7 (used buffer, device → driver) and §2.7.10 (available buffer, driver → device) suppression.</summary>
    public class NotificationSuppressionTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void EventIndexNotifiesOnlyWhenAvailEventIsPassed(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig, interrupts: false).Queues[0];
            Assert.True(queue.UsesEventIndex);
            rig.Device.Queues[0].AvailEventLead = 2; // "tell me again when entry next+2 is written"
            DmaBuffer data = DriverHarness.Bytes(rig, "n");
            var sent = new bool[4];
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out _));
                sent[i] = queue.NotifyDevice();
            }

            // 1st: avail_event 0 is passed. Device then asks for entry 3: 2nd and 3rd stay quiet, 4th passes it.
            Assert.Equal(new[] { true, false, false, true }, sent);
            Assert.Equal(2, rig.Device.Queues[0].Notifications);
            Assert.Equal(2, queue.NotificationCount);
            Assert.Equal(4, queue.Poll());
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [InlineData(VirtqueueRingFeatures.All)]
        [InlineData(VirtqueueRingFeatures.None)]
        public void EveryBufferIsNotifiedWhenTheDeviceAsks(VirtqueueRingFeatures ring)
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: ring).Queues[0];
            DmaBuffer data = DriverHarness.Bytes(rig, "n");
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out _));
                Assert.True(queue.NotifyDevice());
                Assert.True(queue.TryTakeNextCompletion(out _));
            }

            Assert.Equal(5, rig.Device.Queues[0].Notifications);
        }

        [Theory]
        [InlineData(VirtqueueRingFeatures.All)]
        [InlineData(VirtqueueRingFeatures.None)]
        public void BatchedSubmissionsNeedOneNotification(VirtqueueRingFeatures ring)
        {
            using SimRig rig = SimRig.Create(SimLayout.MmioV2);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: ring).Queues[0];
            DmaBuffer data = DriverHarness.Bytes(rig, "n");
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out _));
            }

            Assert.True(queue.NotifyDevice());
            Assert.False(queue.NotifyDevice()); // nothing new
            Assert.Equal(1, rig.Device.Queues[0].Notifications);
            Assert.Equal(3, queue.CompletedCount + queue.Poll());
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WithoutEventIndexTheNoNotifyFlagIsObeyed(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: VirtqueueRingFeatures.None).Queues[0];
            Assert.False(queue.UsesEventIndex);
            SimQueue device = rig.Device.Queues[0];
            device.SuppressNotifications = true;
            DmaBuffer data = DriverHarness.Bytes(rig, "n");

            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out _));
            Assert.True(queue.NotifyDevice()); // the flag is not set yet
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out int quiet));
            Assert.False(queue.NotifyDevice()); // NO_NOTIFY set by the device's last fetch
            Assert.False(queue.TryTakeCompletion(quiet, out _));

            device.SuppressNotifications = false;
            device.ProcessAll(); // the device polls on its own, then clears the flag
            Assert.True(queue.TryTakeCompletion(quiet, out _));
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out _));
            Assert.True(queue.NotifyDevice());
            Assert.Equal(2, device.Notifications);
        }

        [Theory]
        [InlineData(SimLayout.PciModern)]
        [InlineData(SimLayout.PciLegacy)]
        [InlineData(SimLayout.MmioV1)]
        [InlineData(SimLayout.MmioV2)]
        public void EventIndexDelaysTheInterruptUntilTheAskedCompletion(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            rig.Device.AutoProcess = false;
            DmaBuffer data = DriverHarness.Bytes(rig, "n");
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out _));
            }

            queue.NotifyDevice();
            Assert.True(queue.EnableInterrupts(afterCompletions: 3));
            SimQueue device = rig.Device.Queues[0];
            device.Fetch();
            device.Complete(device.Pending[0]);
            device.Complete(device.Pending[0]);
            Assert.Equal(0, device.InterruptsSignalled);
            device.Complete(device.Pending[0]);
            Assert.Equal(1, device.InterruptsSignalled);
            Assert.Equal(3, queue.CompletedCount); // found by the interrupt, no poll

            // After that interrupt the queue re-arms for the next completion.
            device.Complete(device.Pending[0]);
            Assert.Equal(2, device.InterruptsSignalled);
            Assert.Equal(4, queue.CompletedCount);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [InlineData(SimLayout.PciModern)]
        [InlineData(SimLayout.PciLegacy)]
        [InlineData(SimLayout.MmioV1)]
        public void WithoutEventIndexTheNoInterruptFlagSuppresses(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: VirtqueueRingFeatures.None).Queues[0];
            SimQueue device = rig.Device.Queues[0];
            DmaBuffer data = DriverHarness.Bytes(rig, "n");

            queue.DisableInterrupts();
            Assert.Equal(1, device.ReadAvailFlags());
            DriverHarness.RoundTrip(queue, [data], []);
            DriverHarness.RoundTrip(queue, [data], []);
            Assert.Equal(0, device.InterruptsSignalled);

            Assert.True(queue.EnableInterrupts());
            Assert.Equal(0, device.ReadAvailFlags());
            DriverHarness.RoundTrip(queue, [data], []);
            Assert.Equal(1, device.InterruptsSignalled);
        }

        [Theory]
        [InlineData(VirtqueueRingFeatures.All)]
        [InlineData(VirtqueueRingFeatures.None)]
        public void PolledQueuesAskForNoInterrupts(VirtqueueRingFeatures ring)
        {
            using SimRig rig = SimRig.Create(SimLayout.MmioV2);
            SplitVirtqueue queue = DriverHarness.Start(rig, interrupts: false, ring: ring).Queues[0];
            DmaBuffer data = DriverHarness.Bytes(rig, "n");
            for (int i = 0; i < 100; i++)
            {
                DriverHarness.RoundTrip(queue, [data], []);
            }

            Assert.Equal(0, rig.Device.Queues[0].InterruptsSignalled);
            Assert.Equal(0, rig.MmioLine!.Raised[0]);
        }

        [Theory]
        [InlineData(VirtqueueRingFeatures.All)]
        [InlineData(VirtqueueRingFeatures.None)]
        public void EnablingReportsCompletionsThatRacedIt(VirtqueueRingFeatures ring)
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: ring).Queues[0];
            queue.DisableInterrupts();
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "n")], [], out _));
            queue.NotifyDevice(); // completed at once, no interrupt asked
            Assert.Equal(0, queue.CompletedCount);
            Assert.False(queue.EnableInterrupts()); // a completion is waiting: poll
            Assert.Equal(1, queue.Poll());
            Assert.True(queue.EnableInterrupts());
        }
    }
}
