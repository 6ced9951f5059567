using System;
using System.Text;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>The driver side of a test: initialisation through the core, DMA buffers with contents.</summary>
    internal static class DriverHarness
    {
        /// <summary>Initialises the device with one or more queues and returns the initializer, live.</summary>
        public static VirtioDeviceInitializer Start(
            SimRig rig,
            int queueSize = 16,
            bool interrupts = true,
            VirtqueueRingFeatures ring = VirtqueueRingFeatures.All,
            int queues = 1,
            int indirectCapacity = SplitVirtqueue.DefaultIndirectCapacity)
        {
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory, "virtio-echo");
            Check(init.NegotiateFeatures(0b11, ring));
            if (interrupts)
            {
                Check(init.EnableInterrupts(queues));
            }

            for (int i = 0; i < queues; i++)
            {
                VirtioResult<SplitVirtqueue> queue = init.CreateQueue(i, queueSize, indirectCapacity);
                Assert.True(queue.IsSuccess, queue.Error);
            }

            Check(init.Finish());
            return init;
        }

        public static void Check(VirtioResult result) => Assert.True(result.IsSuccess, result.Error);

        public static DmaBuffer Bytes(SimRig rig, string text) => Bytes(rig, Encoding.ASCII.GetBytes(text));

        public static DmaBuffer Bytes(SimRig rig, byte[] data)
        {
            DmaBuffer buffer = rig.Memory.Allocate(data.Length, 8);
            data.CopyTo(buffer.Span);
            return buffer;
        }

        public static DmaBuffer Space(SimRig rig, int length) => rig.Memory.Allocate(length, 8);

        public static string Text(DmaBuffer buffer, uint length) => Encoding.ASCII.GetString(buffer.Span.Slice(0, (int)length));

        /// <summary>Submits, notifies and waits (polling) for one request; returns the completion.</summary>
        public static VirtqueueCompletion RoundTrip(SplitVirtqueue queue, ReadOnlySpan<DmaBuffer> readable, ReadOnlySpan<DmaBuffer> writable)
        {
            Assert.Equal(VirtqueueSubmitStatus.Submitted, queue.Submit(readable, writable, out int token));
            queue.NotifyDevice();
            Assert.True(queue.TryTakeCompletion(token, out VirtqueueCompletion completion), "the device did not complete the request");
            return completion;
        }
    }
}
