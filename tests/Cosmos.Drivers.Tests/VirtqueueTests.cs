using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class VirtqueueTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void SingleBufferGoesDirect(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            DmaBuffer request = DriverHarness.Bytes(rig, "ping");
            VirtqueueCompletion completion = DriverHarness.RoundTrip(queue, [request], []);
            Assert.True(completion.IsSuccess);
            Assert.Equal(0u, completion.WrittenLength);
            SimRequest seen = Assert.Single(rig.Device.Queues[0].Seen);
            Assert.False(seen.Indirect);
            Assert.Equal(new SimSegment(request.PhysicalAddress, 4, false), Assert.Single(seen.Segments));
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ChainedScatterGatherWithoutIndirect(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig, ring: VirtqueueRingFeatures.EventIndex).Queues[0];
            Assert.False(queue.UsesIndirectDescriptors);
            rig.Device.AutoProcess = false;
            DmaBuffer first = DriverHarness.Space(rig, 4);
            DmaBuffer second = DriverHarness.Space(rig, 4);
            Assert.Equal(
                VirtqueueSubmitStatus.Submitted,
                queue.Submit([DriverHarness.Bytes(rig, "ab"), DriverHarness.Bytes(rig, "cd"), DriverHarness.Bytes(rig, "ef")], [first, second], out int token));
            Assert.Equal(queue.Size - 5, queue.FreeDescriptorCount);
            Assert.True(queue.NotifyDevice());

            rig.Device.Queues[0].ProcessAll();
            Assert.True(queue.TryTakeCompletion(token, out VirtqueueCompletion completion));
            Assert.Equal(6u, completion.WrittenLength);
            Assert.Equal("abcd", DriverHarness.Text(first, 4));
            Assert.Equal("ef", DriverHarness.Text(second, 2));
            SimRequest seen = Assert.Single(rig.Device.Queues[0].Seen);
            Assert.False(seen.Indirect);
            Assert.Equal(new[] { false, false, false, true, true }, Array.ConvertAll(seen.Segments.ToArray(), s => s.Writable));
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ChainsUseOneIndirectDescriptorWhenNegotiated(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            Assert.True(queue.UsesIndirectDescriptors);
            rig.Device.AutoProcess = false;
            DmaBuffer output = DriverHarness.Space(rig, 8);
            Assert.Equal(
                VirtqueueSubmitStatus.Submitted,
                queue.Submit([DriverHarness.Bytes(rig, "head"), DriverHarness.Bytes(rig, "body")], [output], out int token));
            Assert.Equal(queue.Size - 1, queue.FreeDescriptorCount);
            queue.NotifyDevice();
            rig.Device.Queues[0].ProcessAll();
            Assert.True(queue.TryTakeCompletion(token, out VirtqueueCompletion completion));
            Assert.Equal("headbody", DriverHarness.Text(output, completion.WrittenLength));
            SimRequest seen = Assert.Single(rig.Device.Queues[0].Seen);
            Assert.True(seen.Indirect);
            Assert.Equal(3, seen.DescriptorCount);
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void ChainLongerThanAnIndirectTableGoesDirect()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, indirectCapacity: 4).Queues[0];
            DmaBuffer[] readable = new DmaBuffer[5];
            for (int i = 0; i < readable.Length; i++)
            {
                readable[i] = DriverHarness.Bytes(rig, i.ToString());
            }

            DmaBuffer output = DriverHarness.Space(rig, 8);
            VirtqueueCompletion completion = DriverHarness.RoundTrip(queue, readable, [output]);
            Assert.Equal("01234", DriverHarness.Text(output, completion.WrittenLength));
            SimRequest seen = Assert.Single(rig.Device.Queues[0].Seen);
            Assert.False(seen.Indirect);
            Assert.Equal(6, seen.DescriptorCount);
        }

        [Fact]
        public void FullQueueRefusesUntilACompletionIsTaken()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, queueSize: 4, ring: VirtqueueRingFeatures.None).Queues[0];
            rig.Device.AutoProcess = false;
            DmaBuffer a = DriverHarness.Bytes(rig, "a");
            DmaBuffer b = DriverHarness.Space(rig, 1);
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a], [b], out int first));
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a], [b], out int second));
            Assert.Equal(0, queue.FreeDescriptorCount);
            Assert.Equal(VirtqueueSubmitStatus.QueueFull, queue.Submit([a], [], out int none));
            Assert.Equal(-1, none);

            queue.NotifyDevice();
            rig.Device.Queues[0].ProcessAll();
            Assert.Equal(VirtqueueSubmitStatus.QueueFull, queue.Submit([a], [], out _)); // completed, not yet taken
            Assert.True(queue.TryTakeCompletion(second, out _));
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a], [b], out _));
            Assert.True(queue.TryTakeCompletion(first, out _));
        }

        [Fact]
        public void IndirectChainsTakeOneSlotEach()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, queueSize: 4).Queues[0];
            rig.Device.AutoProcess = false;
            DmaBuffer a = DriverHarness.Bytes(rig, "a");
            DmaBuffer b = DriverHarness.Space(rig, 1);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([a, a], [b], out _));
            }

            Assert.Equal(VirtqueueSubmitStatus.QueueFull, queue.Submit([a, a], [b], out _));
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void CompletionsArriveOutOfOrder(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            SplitVirtqueue queue = DriverHarness.Start(rig, interrupts: false).Queues[0];
            rig.Device.AutoProcess = false;
            var outputs = new DmaBuffer[4];
            var tokens = new int[4];
            for (int i = 0; i < 4; i++)
            {
                outputs[i] = DriverHarness.Space(rig, 8);
                Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "req" + i)], [outputs[i]], out tokens[i]));
            }

            queue.NotifyDevice();
            SimQueue device = rig.Device.Queues[0];
            Assert.Equal(4, device.Fetch());
            SimRequest[] fetched = device.Pending.ToArray();
            foreach (int i in new[] { 2, 0, 3, 1 })
            {
                device.Complete(fetched[i]);
            }

            // By token first (the one completed second), then oldest-first: 2, 3, 1.
            Assert.True(queue.TryTakeCompletion(tokens[0], out VirtqueueCompletion byToken));
            Assert.Equal("req0", DriverHarness.Text(outputs[0], byToken.WrittenLength));
            foreach (int i in new[] { 2, 3, 1 })
            {
                Assert.True(queue.TryTakeNextCompletion(out VirtqueueCompletion completion));
                Assert.Equal(tokens[i], completion.Token);
                Assert.Equal("req" + i, DriverHarness.Text(outputs[i], completion.WrittenLength));
            }

            Assert.False(queue.TryTakeNextCompletion(out _));
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void TokenIsNotCompleteWhileInFlight()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            rig.Device.AutoProcess = false;
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "x")], [], out int token));
            queue.NotifyDevice();
            Assert.False(queue.TryTakeCompletion(token, out _));
            Assert.Equal(1, queue.InFlightCount);
            rig.Device.Queues[0].ProcessAll();
            Assert.True(queue.TryTakeCompletion(token, out _));
            Assert.Equal(0, queue.InFlightCount);
        }

        [Theory]
        [InlineData(SimLayout.PciModern, VirtqueueRingFeatures.All, true)]
        [InlineData(SimLayout.PciModern, VirtqueueRingFeatures.None, true)]
        [InlineData(SimLayout.PciLegacy, VirtqueueRingFeatures.EventIndex, false)]
        [InlineData(SimLayout.MmioV1, VirtqueueRingFeatures.None, true)]
        [InlineData(SimLayout.MmioV2, VirtqueueRingFeatures.All, false)]
        public void IndicesWrapPast65535(SimLayout layout, VirtqueueRingFeatures ring, bool interrupts)
        {
            // 70,000 requests in batches of 1 to 3 on a queue of 8: every 16-bit index (avail, used,
            // used_event, avail_event) wraps at least once, with requests in flight across the wrap.
            using SimRig rig = SimRig.Create(layout, new SimOptions { MaxQueueSize = 8 });
            SplitVirtqueue queue = DriverHarness.Start(rig, queueSize: 8, ring: ring, interrupts: interrupts).Queues[0];
            DmaBuffer input = DriverHarness.Space(rig, 4);
            var outputs = new[] { DriverHarness.Space(rig, 4), DriverHarness.Space(rig, 4), DriverHarness.Space(rig, 4) };
            var tokens = new int[3];
            int done = 0;
            for (int round = 0; done < 70_000; round++)
            {
                int batch = 1 + (round % 3);
                for (int i = 0; i < batch; i++)
                {
                    BitConverter.TryWriteBytes(input.Span, done + i);
                    Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([input], [outputs[i]], out tokens[i]));
                    queue.NotifyDevice(); // the device copies at once (AutoProcess), so input can be reused
                }

                for (int i = 0; i < batch; i++)
                {
                    Assert.True(queue.TryTakeCompletion(tokens[i], out VirtqueueCompletion completion));
                    Assert.True(completion.IsSuccess, completion.Error);
                    Assert.Equal(done + i, BitConverter.ToInt32(outputs[i].Span));
                }

                done += batch;
            }

            Assert.True(rig.Device.Queues[0].NextAvail < 70_000 - 65_536 + 3);
            Assert.Equal(queue.Size, queue.FreeDescriptorCount);
            Assert.False(queue.IsBroken);
            Assert.Empty(rig.Device.Violations);
        }

        [Fact]
        public void DeviceMayWriteLessThanTheBuffer()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig).Queues[0];
            DmaBuffer output = DriverHarness.Space(rig, 64);
            VirtqueueCompletion completion = DriverHarness.RoundTrip(queue, [DriverHarness.Bytes(rig, "short")], [output]);
            Assert.True(completion.IsSuccess);
            Assert.Equal(5u, completion.WrittenLength);
            Assert.Null(completion.Error);
        }

        [Fact]
        public void InvalidRequestsThrow()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            SplitVirtqueue queue = DriverHarness.Start(rig, queueSize: 4).Queues[0];
            DmaBuffer a = DriverHarness.Bytes(rig, "a");
            Assert.Throws<ArgumentException>(() => queue.Submit([], [], out _));
            Assert.Throws<ArgumentException>(() => queue.Submit([default(DmaBuffer)], [], out _));
            Assert.Throws<ArgumentException>(() => queue.Submit([a, a, a], [a, a], out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryTakeCompletion(4, out _));
            Assert.Throws<InvalidOperationException>(() => queue.TryTakeCompletion(2, out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => queue.EnableInterrupts(0));
            VirtqueueCompletion done = DriverHarness.RoundTrip(queue, [a], []);
            Assert.Throws<InvalidOperationException>(() => queue.TryTakeCompletion(done.Token, out _));
        }

        [Fact]
        public void PolledQueueFindsCompletionsByPolling()
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern);
            VirtioDeviceInitializer init = DriverHarness.Start(rig, interrupts: false);
            SplitVirtqueue queue = init.Queues[0];
            Assert.Equal(InterruptMode.Polled, init.InterruptMode);
            Assert.Null(rig.Pci!.Interrupts);
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit([DriverHarness.Bytes(rig, "p")], [], out _));
            queue.NotifyDevice();
            Assert.Equal(0, queue.CompletedCount);
            Assert.Equal(1, queue.Poll());
            Assert.Equal(1, queue.CompletedCount);
            Assert.Equal(0, queue.Poll());
            Assert.True(queue.TryTakeNextCompletion(out _));
        }
    }
}
