using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.HAL.Tests.Devices
{
    /// <summary>The counters network drivers share: each event lands in its own statistic, and the drops add up.</summary>
    public class NetworkDeviceCountersTests
    {
        [Fact]
        public void ANewInterfaceHasCountedNothing()
        {
            Assert.Equal(default, new NetworkDeviceCounters().Snapshot());
        }

        [Fact]
        public void EachEventIsCountedInItsOwnStatistic()
        {
            var counters = new NetworkDeviceCounters();
            counters.FrameReceived(60);
            counters.FrameReceived(1514);
            counters.FrameSent(42);
            counters.TransmitQueueFull();
            counters.TransmitQueueFull();
            counters.DroppedBufferTooSmall();
            counters.DroppedOversize();
            counters.DroppedOversize();
            counters.DroppedDeviceError();
            counters.DroppedQueueBroken();

            NetworkStatistics statistics = counters.Snapshot();
            Assert.Equal(2, statistics.FramesReceived);
            Assert.Equal(1574, statistics.BytesReceived);
            Assert.Equal(1, statistics.FramesSent);
            Assert.Equal(42, statistics.BytesSent);
            Assert.Equal(2, statistics.TransmitQueueFull);
            Assert.Equal(1, statistics.DroppedBufferTooSmall);
            Assert.Equal(2, statistics.DroppedOversize);
            Assert.Equal(1, statistics.DroppedDeviceError);
            Assert.Equal(1, statistics.DroppedQueueBroken);
            Assert.Equal(5, statistics.Dropped); // a full transmit queue is a refusal, not a drop
        }

        [Fact]
        public void ASnapshotDoesNotChangeWithLaterEvents()
        {
            var counters = new NetworkDeviceCounters();
            counters.FrameSent(100);
            NetworkStatistics before = counters.Snapshot();
            counters.FrameSent(100);
            Assert.Equal(100, before.BytesSent);
            Assert.Equal(200, counters.Snapshot().BytesSent);
        }
    }
}
