using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    /// <summary>
    /// A device is not trusted (§2.7.8): every lie in the used ring fails the request or the queue
    /// with a sentence, the interrupt handler that meets it does not throw, and the free list survives.
    /// The lies arrive through the interrupt path (the simulated device interrupts after writing them).
    /// </summary>
    public class LyingDeviceTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void UsedIdBeyondTheTableBreaksTheQueue(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            (SplitVirtqueue queue, SimQueue device, int[] tokens) = ThreeInFlight(rig, queueSize: 256);

            device.WriteUsed(517, 0);
            device.MaybeSignal(); // the interrupt handler meets the lie: must not throw

            const string expected = "virtio-echo queue 0: device returned used id 517, queue size is 256";
            Assert.True(queue.IsBroken);
            Assert.Equal(VirtqueueFaultKind.UsedIdOutOfRange, queue.Fault.Kind);
            Assert.Equal(expected, queue.Error);
            AllFailWith(queue, tokens, expected);
            Assert.Equal(VirtqueueSubmitStatus.QueueBroken, queue.Submit([DriverHarness.Bytes(rig, "x")], [], out _));
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void UsedIdOfAFreeDescriptorBreaksTheQueue(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            (SplitVirtqueue queue, SimQueue device, int[] tokens) = ThreeInFlight(rig, queueSize: 64);

            device.WriteUsed(40, 4);
            device.MaybeSignal();

            AllFailWith(queue, tokens, "virtio-echo queue 0: device returned used id 40, which is not a request in flight");
        }

        [Fact]
        public void UsedIdInsideAChainBreaksTheQueue()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: VirtqueueRingFeatures.EventIndex).Queues[0];
            rig.Device.AutoProcess = false;
            DmaBuffer a = DriverHarness.Bytes(rig, "a");
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a, a, a], [], out int token));
            queue.NotifyDevice();
            rig.Device.Queues[0].Fetch();
            int second = token == 0 ? 1 : token + 1; // a fresh free list hands out 0, 1, 2
            rig.Device.Queues[0].WriteUsed((uint)second, 0);
            rig.Device.Queues[0].MaybeSignal();
            AllFailWith(queue, [token], "virtio-echo queue 0: device returned used id 1, which is not a request in flight");
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void CompletingARequestTwiceBreaksTheQueueButKeepsTheFirstResult(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            (SplitVirtqueue queue, SimQueue device, int[] tokens) = ThreeInFlight(rig, queueSize: 16);
            device.Complete(device.Pending[0], signal: false);
            device.WriteUsed((uint)tokens[0], 0);
            device.MaybeSignal();

            Assert.True(queue.IsBroken);
            Assert.True(queue.TryTakeCompletion(tokens[0], out VirtqueueCompletion first));
            Assert.True(first.IsSuccess);
            Assert.Equal(2u, first.WrittenLength);
            AllFailWith(queue, [tokens[1], tokens[2]], $"virtio-echo queue 0: device returned used id {tokens[0]}, which is not a request in flight");
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void LengthBeyondTheWritableBuffersFailsOnlyThatRequest(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            (SplitVirtqueue queue, SimQueue device, int[] tokens) = ThreeInFlight(rig, queueSize: 16);
            device.Complete(device.Pending[1], reportedLength: 4096);

            Assert.True(queue.TryTakeCompletion(tokens[1], out VirtqueueCompletion lie));
            Assert.False(lie.IsSuccess);
            Assert.Equal(0u, lie.WrittenLength);
            Assert.Equal($"virtio-echo queue 0: device reported 4096 bytes written to request {tokens[1]}, which has 8 writable bytes", lie.Error);
            Assert.False(queue.IsBroken);

            device.CompleteAllPending();
            Assert.True(queue.TryTakeCompletion(tokens[0], out VirtqueueCompletion honest));
            Assert.True(honest.IsSuccess);
            Assert.True(queue.TryTakeCompletion(tokens[2], out _));
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            rig.Device.AutoProcess = true;
            Assert.True(DriverHarness.RoundTrip(queue, [DriverHarness.Bytes(rig, "ok")], [DriverHarness.Space(rig, 2)]).IsSuccess);
        }

        [Fact]
        public void AnyLengthForARequestWithNothingWritableIsALie()
        {
            using SimRig rig = SimRig.Create(SimLayout.MmioV2);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            rig.Device.AutoProcess = false;
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "tx")], [], out int token));
            queue.NotifyDevice();
            rig.Device.Queues[0].Fetch();
            rig.Device.Queues[0].Complete(rig.Device.Queues[0].Pending[0], reportedLength: 1);
            Assert.True(queue.TryTakeCompletion(token, out VirtqueueCompletion completion));
            Assert.Equal(VirtqueueFaultKind.UsedLengthTooLong, completion.Fault.Kind);
            Assert.Contains("which has 0 writable bytes", completion.Error);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void UsedIndexJumpingAheadBreaksTheQueue(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            (SplitVirtqueue queue, SimQueue device, int[] tokens) = ThreeInFlight(rig, queueSize: 256);
            device.SetUsedIndex(300);
            device.MaybeSignal();
            AllFailWith(queue, tokens, "virtio-echo queue 0: used ring index moved from 0 to 300 with 3 requests in flight");
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void UsedIndexGoingBackwardsBreaksTheQueue(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            DmaBuffer data = DriverHarness.Bytes(rig, "n");
            for (int i = 0; i < 5; i++)
            {
                DriverHarness.RoundTrip(queue, [data], []);
            }

            rig.Device.AutoProcess = false;
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([data], [], out int token));
            queue.NotifyDevice();
            rig.Device.Queues[0].SetUsedIndex(3);
            rig.Device.Queues[0].MaybeSignal();
            AllFailWith(queue, [token], "virtio-echo queue 0: used ring index moved from 5 to 3 with 1 requests in flight");
        }

        [Fact]
        public void PolledQueueMeetsTheSameLiesWithoutThrowing()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            (SplitVirtqueue queue, SimQueue device, int[] tokens) = ThreeInFlight(rig, queueSize: 256, interrupts: false);
            device.WriteUsed(517, 0);
            Assert.Equal(3, queue.Poll()); // three requests failed
            AllFailWith(queue, tokens, "virtio-echo queue 0: device returned used id 517, queue size is 256");
        }

        [Theory]
        [InlineData(VirtqueueRingFeatures.None)]
        [InlineData(VirtqueueRingFeatures.All)]
        public void ScribblingOnTheDescriptorTableCannotCorruptTheFreeList(VirtqueueRingFeatures ring)
        {
            // §2.7.5.1: the device must not write the table. If it does, the driver's own shadow of
            // the links still returns exactly the descriptors each request took.
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, queueSize: 8, ring: ring).Queues[0];
            rig.Device.AutoProcess = false;
            DmaBuffer a = DriverHarness.Bytes(rig, "ab");
            DmaBuffer output = DriverHarness.Space(rig, 4);
            var tokens = new int[2];
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a, a], [output], out tokens[0]));
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a], [output], out tokens[1]));
            queue.NotifyDevice();
            SimQueue device = rig.Device.Queues[0];
            device.Fetch();
            for (int i = 0; i < 8; i++)
            {
                device.ScribbleDescriptor(i, 0xDEAD_BEEF, 0xFFFF, 0xFFFF, (ushort)((i * 5) % 8));
            }

            device.WriteUsed((uint)tokens[1], 2);
            device.WriteUsed((uint)tokens[0], 4);
            device.Pending.Clear(); // completed by hand above
            device.MaybeSignal();
            Assert.True(queue.TryTakeCompletion(tokens[0], out _));
            Assert.True(queue.TryTakeCompletion(tokens[1], out _));
            Assert.Equal(8, queue.FreeDescriptorCount);

            // The whole table is usable again, each descriptor exactly once.
            rig.Device.AutoProcess = true;
            var outputs = new DmaBuffer[4];
            var fill = new int[4];
            for (int i = 0; i < 4; i++)
            {
                outputs[i] = DriverHarness.Space(rig, 1);
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, i.ToString())], [outputs[i]], out fill[i]));
            }

            Assert.Equal(ring == VirtqueueRingFeatures.None ? 0 : 4, queue.FreeDescriptorCount);
            queue.NotifyDevice();
            for (int i = 0; i < 4; i++)
            {
                Assert.True(queue.TryTakeCompletion(fill[i], out VirtqueueCompletion completion));
                Assert.Equal(i.ToString(), DriverHarness.Text(outputs[i], completion.WrittenLength));
            }

            Assert.Empty(rig.Device.Violations);
        }

        private static (SplitVirtqueue Queue, SimQueue Device, int[] Tokens) ThreeInFlight(SimRig rig, int queueSize, bool interrupts = true)
        {
            SplitVirtqueue queue = DriverHarness.Start(rig, queueSize: queueSize, interrupts: interrupts, ring: VirtqueueRingFeatures.EventIndex).Queues[0];
            rig.Device.AutoProcess = false;
            var tokens = new int[3];
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "r" + i)], [DriverHarness.Space(rig, 8)], out tokens[i]));
            }

            queue.NotifyDevice();
            SimQueue device = rig.Device.Queues[0];
            Assert.Equal(3, device.Fetch());
            return (queue, device, tokens);
        }

        private static void AllFailWith(SplitVirtqueue queue, int[] tokens, string error)
        {
            Assert.True(queue.IsBroken);
            Assert.Equal(error, queue.Error);
            foreach (int token in tokens)
            {
                Assert.True(queue.TryTakeCompletion(token, out VirtqueueCompletion completion));
                Assert.False(completion.IsSuccess);
                Assert.Equal(error, completion.Error);
            }

            Assert.Equal(0, queue.InFlightCount);
            Assert.Equal(0, queue.CompletedCount);
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            Assert.Throws<InvalidOperationException>(() => queue.TryTakeCompletion(tokens[0], out _));
        }
    }
}
