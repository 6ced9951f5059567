using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Net;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Net
{
    /// <summary>
    /// Frames that cannot be handed over whole are dropped and counted, never truncated; a device that
    /// describes a frame impossibly is reported once, that frame is dropped, and the driver goes on.
    /// </summary>
    public class VirtioNetLyingDeviceTests
    {
        [Fact]
        public void AFrameLargerThanTheCallersBufferIsDroppedAndCounted()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            sim.Deliver(NetFrames.Make(1000, 1));
            sim.Deliver(NetFrames.Make(100, 2));
            byte[] small = new byte[500];
            Assert.Equal(100, nic.TryReceive(small));
            Assert.Equal(NetFrames.Make(100, 2), small.AsSpan(0, 100).ToArray());
            Assert.Equal(1, nic.Statistics.DroppedBufferTooSmall);
            Assert.Equal(1, nic.Statistics.FramesReceived);
            Assert.Empty(nic.Faults); // the device did nothing wrong
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
        }

        [Fact]
        public void AMergedFrameLongerThanTheMtuAllowsIsDroppedAsOversize()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(2, sim.Deliver(NetFrames.Make(4000, 1)));
            sim.Deliver(NetFrames.Make(1518, 2));
            byte[] buffer = new byte[9000];
            Assert.Equal(1518, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(1518, 2), buffer.AsSpan(0, 1518).ToArray());
            Assert.Equal(1, nic.Statistics.DroppedOversize);
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AUsedLengthBeyondTheBufferDropsThatFrameAndIsReportedOnce(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            var log = new System.Collections.Generic.List<string>();
            nic.Log = log.Add;
            sim.Deliver(NetFrames.Make(100, 1), firstUsedLength: 100_000);
            sim.Deliver(NetFrames.Make(100, 2));
            sim.Deliver(NetFrames.Make(100, 3), firstUsedLength: 70_000);
            sim.Deliver(NetFrames.Make(100, 4));
            byte[] buffer = new byte[1518];
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 2), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 4), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(2, nic.Statistics.DroppedDeviceError);
            string report = Assert.Single(log);
            Assert.Contains("100000 bytes", report, StringComparison.Ordinal);
            Assert.Null(nic.QueueError);
            Assert.True(nic.IsLinkUp);
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
        }

        [Theory]
        [InlineData((ushort)0)]
        [InlineData((ushort)1000)]
        public void AnImpossibleNumBuffersDropsThatFrame(ushort numBuffers)
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            sim.Deliver(NetFrames.Make(100, 1), numBuffers: numBuffers);
            sim.Deliver(NetFrames.Make(100, 2));
            byte[] buffer = new byte[1518];
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 2), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(1, nic.Statistics.DroppedDeviceError);
            Assert.Contains(nic.Faults, f => f.Contains($"num_buffers {numBuffers}", StringComparison.Ordinal));
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
        }

        [Fact]
        public void ANumBuffersThatClaimsTheNextFrameMergesItAndTheDriverRecovers()
        {
            // The device says 2 buffers but used only 1: the next frame's buffer is taken as the rest.
            // That frame is lost with it; nothing is truncated silently and the stream resynchronises.
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            sim.Deliver(NetFrames.Make(100, 1), numBuffers: 2);
            sim.Deliver(NetFrames.Make(100, 2));
            sim.Deliver(NetFrames.Make(100, 3));
            byte[] buffer = new byte[1518];
            Assert.Equal(100 + 100 + 12, nic.TryReceive(buffer));
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 3), buffer.AsSpan(0, 100).ToArray());
        }

        [Fact]
        public void ABufferShorterThanTheHeaderAndARuntFrameAreDropped()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            sim.Deliver(NetFrames.Make(100, 1), firstUsedLength: 5);
            sim.Deliver(new byte[6]);
            sim.Deliver(NetFrames.Make(100, 2));
            byte[] buffer = new byte[1518];
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 2), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(2, nic.Statistics.DroppedDeviceError);
            Assert.Equal(2, nic.Faults.Count);
        }

        [Fact]
        public void APartialChecksumOutsideTheFrameDropsIt()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            sim.Deliver(NetFrames.Make(100, 1), flags: SimNetDevice.FlagNeedsCsum, checksumStart: 90, checksumOffset: 16);
            sim.Deliver(NetFrames.Make(100, 2));
            byte[] buffer = new byte[1518];
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 2), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(1, nic.Statistics.DroppedDeviceError);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AnUnknownUsedIdBreaksTheReceiveQueueOnlyAndIsReportedOnce(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            var log = new System.Collections.Generic.List<string>();
            nic.Log = log.Add;
            sim.Deliver(NetFrames.Make(100, 1));
            sim.ReceiveQueue.WriteUsed(5000, 100);
            sim.ReceiveQueue.MaybeSignal();
            byte[] buffer = new byte[1518];

            // The frame completed before the lie is still handed over; nothing after it.
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 1), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(0, nic.TryReceive(buffer));
            Assert.False(nic.HasFrameWaiting);
            sim.Deliver(NetFrames.Make(100, 2)); // into a queue the driver no longer reads
            Assert.Equal(0, nic.TryReceive(buffer));
            Assert.NotNull(nic.QueueError);
            Assert.False(nic.IsLinkUp);
            string report = Assert.Single(log);
            Assert.Contains("used id 5000", report, StringComparison.Ordinal);
            Assert.Equal(1, nic.Statistics.DroppedQueueBroken);

            // The transmit queue is another queue: sending goes on.
            Assert.True(nic.TrySend(NetFrames.Make(60, 3)));
            sim.Pump();
            Assert.Equal(NetFrames.Make(60, 3), Assert.Single(sim.Sent).Bytes);
        }

        [Fact]
        public void AnUnknownUsedIdInTheTransmitQueueStopsSendingWithoutThrowing()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.True(nic.TrySend(NetFrames.Make(60, 1)));
            sim.TransmitQueue.Fetch();
            sim.TransmitQueue.Pending.Clear();
            sim.TransmitQueue.WriteUsed(77, 0);
            Assert.False(nic.TrySend(NetFrames.Make(60, 2)));
            Assert.False(nic.TrySend(NetFrames.Make(60, 3)));
            Assert.Single(nic.Faults);
            Assert.Equal(3, nic.Statistics.DroppedQueueBroken); // the frame in flight and the two refused
            Assert.False(nic.IsLinkUp);
            sim.Deliver(NetFrames.Make(70, 4));
            Assert.Equal(70, nic.TryReceive(new byte[1518]));
        }

        [Fact]
        public void ATransmitBufferReturnedWithALengthIsReportedAndReclaimed()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.True(nic.TrySend(NetFrames.Make(60, 1)));
            sim.TransmitQueue.Fetch();
            SimRequest request = sim.TransmitQueue.Pending[0];
            sim.TransmitQueue.Complete(request, reportedLength: 72);
            Assert.Equal(1, nic.ReclaimTransmitBuffers());
            Assert.Equal(0, nic.TransmitsInFlight);
            Assert.Contains("72 bytes", Assert.Single(nic.Faults), StringComparison.Ordinal);
            Assert.True(nic.TrySend(NetFrames.Make(60, 2)));
            Assert.Equal(0, nic.Statistics.Dropped);
        }
    }
}
