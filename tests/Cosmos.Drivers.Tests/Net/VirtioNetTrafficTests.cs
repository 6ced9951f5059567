using System;
using System.Linq;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Net;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Net
{
    /// <summary>Frames both ways on every transport: exact bytes, header layouts, mergeable buffers, refilling, a full transmit queue.</summary>
    public class VirtioNetTrafficTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void SentFramesReachTheDeviceExactlyAfterTheHeader(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            int[] lengths = { 14, 60, 1000, 1514, 1518 };
            for (int i = 0; i < lengths.Length; i++)
            {
                Assert.True(nic.TrySend(NetFrames.Make(lengths[i], i)));
            }

            sim.Pump();
            Assert.Equal(lengths.Length, sim.Sent.Count);
            for (int i = 0; i < lengths.Length; i++)
            {
                SimNetDevice.Frame sent = sim.Sent[i];
                Assert.Equal(NetFrames.Make(lengths[i], i), sent.Bytes);
                Assert.Equal(0, sent.Flags);
                Assert.Equal(0, sent.NumBuffers);
            }

            NetworkStatistics stats = nic.Statistics;
            Assert.Equal(lengths.Length, stats.FramesSent);
            Assert.Equal(lengths.Sum(), stats.BytesSent);
            Assert.Equal(0, nic.ReclaimTransmitBuffers() - lengths.Length);
            Assert.Equal(0, nic.TransmitsInFlight);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ReceivedFramesComeBackExactly(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            int arrivals = 0;
            nic.FramesArrived = () => arrivals++;
            Assert.False(nic.HasFrameWaiting);
            int[] lengths = { 60, 14, 1514, 1518, 777 };
            for (int i = 0; i < lengths.Length; i++)
            {
                Assert.Equal(1, sim.Deliver(NetFrames.Make(lengths[i], i)));
            }

            Assert.Equal(lengths.Length, arrivals);
            Assert.True(nic.HasFrameWaiting);
            byte[] buffer = new byte[2048];
            for (int i = 0; i < lengths.Length; i++)
            {
                Assert.Equal(lengths[i], nic.TryReceive(buffer, out bool checksumValid));
                Assert.False(checksumValid);
                Assert.Equal(NetFrames.Make(lengths[i], i), buffer.AsSpan(0, lengths[i]).ToArray());
            }

            Assert.False(nic.HasFrameWaiting);
            Assert.Equal(0, nic.TryReceive(buffer));
            NetworkStatistics stats = nic.Statistics;
            Assert.Equal(lengths.Length, stats.FramesReceived);
            Assert.Equal(lengths.Sum(), stats.BytesReceived);
            Assert.Equal(0, stats.Dropped);
            Assert.Equal(nic.ReceiveBufferCount, nic.ReceiveBuffersPosted);
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AMergeableFrameSplitAcrossThreeBuffersIsReassembled(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.True(nic.MergeableReceiveBuffers);
            byte[] frame = NetFrames.Make(1514, 42);
            Assert.Equal(3, sim.Deliver(frame, bytesPerBuffer: 600));
            Assert.Equal(1, sim.Deliver(NetFrames.Make(100, 43)));
            byte[] buffer = new byte[1600];
            Assert.Equal(1514, nic.TryReceive(buffer));
            Assert.Equal(frame, buffer.AsSpan(0, 1514).ToArray());
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(100, 43), buffer.AsSpan(0, 100).ToArray());
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AJumboFrameFillsWholeMergeableBuffers(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, mtu: 5000);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(2048, nic.ReceiveBufferLength);
            byte[] frame = NetFrames.Make(5014, 7);
            Assert.Equal(3, sim.Deliver(frame));
            byte[] buffer = new byte[nic.MaxFrameLength];
            Assert.Equal(5014, nic.TryReceive(buffer));
            Assert.Equal(frame, buffer.AsSpan(0, 5014).ToArray());
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WithoutMergeableBuffersEachBufferHoldsAWholeFrame(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, features: SimNetDevice.AllFeatures & ~SimNetDevice.FeatureMrgRxbuf);
            VirtioNetDevice nic = sim.StartDriver();
            bool modern = sim.Negotiated(SimDevice.FeatureVersion1);
            Assert.False(nic.MergeableReceiveBuffers);
            Assert.Equal(modern ? 12 : 10, nic.HeaderLength);
            Assert.Equal(nic.HeaderLength + 1518, nic.ReceiveBufferLength);
            Assert.True(nic.TrySend(NetFrames.Make(1514, 1)));
            sim.Pump();
            Assert.Equal(NetFrames.Make(1514, 1), sim.Sent.Single().Bytes);
            Assert.Equal(modern ? 1 : 2, sim.Sent.Single().Segments);
            Assert.Equal(1, sim.Deliver(NetFrames.Make(1518, 2)));
            Assert.Equal(-1, sim.Deliver(NetFrames.Make(1514, 3), bytesPerBuffer: 600));
            byte[] buffer = new byte[1518];
            Assert.Equal(1518, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(1518, 2), buffer);
            Assert.Empty(sim.Device.Violations); // legacy: header descriptors of exactly 10 bytes both ways
        }

        [Theory]
        [MemberData(nameof(Layouts.Legacy), MemberType = typeof(Layouts))]
        public void ALegacyDeviceWithMergeableBuffersUsesTheTwelveByteHeader(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.False(sim.Negotiated(SimDevice.FeatureVersion1));
            Assert.Equal(12, nic.HeaderLength);
            Assert.True(nic.TrySend(NetFrames.Make(200, 5)));
            sim.Pump();
            Assert.Equal(NetFrames.Make(200, 5), sim.Sent.Single().Bytes);
            Assert.Equal(2, sim.Deliver(NetFrames.Make(300, 6), bytesPerBuffer: 200));
            byte[] buffer = new byte[300];
            Assert.Equal(300, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(300, 6), buffer);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void WithNothingButVersion1TheDriverStillWorks()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern, features: SimDevice.FeatureVersion1);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(SimDevice.FeatureVersion1, sim.Device.DriverFeatures);
            Assert.Equal(12, nic.HeaderLength);
            Assert.True(nic.IsLinkUp);
            Assert.True(nic.TrySend(NetFrames.Make(64, 1)));
            sim.Pump();
            Assert.Equal(1, sim.Deliver(NetFrames.Make(64, 2)));
            byte[] buffer = new byte[1518];
            Assert.Equal(64, nic.TryReceive(buffer));
            Assert.Equal(NetFrames.Make(64, 2), buffer.AsSpan(0, 64).ToArray());
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void TenThousandFramesFlowThroughA256EntryQueue(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, queueSize: 256);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(256, nic.ReceiveBufferCount);
            byte[] buffer = new byte[1518];
            int delivered = 0, received = 0;
            while (received < 10_000)
            {
                // Bursts of up to 200 frames, taken in bursts: the driver must repost as it goes.
                int burst = Math.Min(200, 10_000 - delivered);
                for (int i = 0; i < burst; i++)
                {
                    int length = 60 + ((delivered * 37) % 1450);
                    Assert.Equal(1, sim.Deliver(NetFrames.Make(length, delivered)));
                    delivered++;
                }

                while (received < delivered)
                {
                    int length = 60 + ((received * 37) % 1450);
                    Assert.Equal(length, nic.TryReceive(buffer));
                    Assert.True(buffer.AsSpan(0, length).SequenceEqual(NetFrames.Make(length, received)), $"frame {received}");
                    received++;
                }

                Assert.True(nic.TrySend(NetFrames.Make(100, received)));
                sim.Pump();
            }

            Assert.Equal(10_000, nic.Statistics.FramesReceived);
            Assert.Equal(0, nic.Statistics.Dropped);
            Assert.Equal(nic.ReceiveBufferCount, nic.ReceiveBuffersPosted);
            Assert.Equal(nic.ReceiveBufferCount, sim.ReceiveBuffersAvailable);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void WhenEveryReceiveBufferIsFullTheDeviceWaitsUntilTheDriverTakesFrames()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern, queueSize: 16);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(16, nic.ReceiveBufferCount);
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(1, sim.Deliver(NetFrames.Make(100, i)));
            }

            Assert.Equal(-1, sim.Deliver(NetFrames.Make(100, 16)));
            byte[] buffer = new byte[1518];
            Assert.Equal(100, nic.TryReceive(buffer));
            Assert.Equal(1, sim.Deliver(NetFrames.Make(100, 16)));
            for (int i = 1; i <= 16; i++)
            {
                Assert.Equal(100, nic.TryReceive(buffer));
                Assert.Equal(NetFrames.Make(100, i), buffer.AsSpan(0, 100).ToArray());
            }
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AFullTransmitQueueRefusesUntilTheDeviceReturnsBuffers(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, queueSize: 64);
            VirtioNetDevice nic = sim.StartDriver();
            int sent = 0;
            while (nic.TrySend(NetFrames.Make(100, sent)))
            {
                sent++;
                Assert.True(sent <= 64, "more frames in flight than the queue has descriptors");
            }

            Assert.Equal(nic.TransmitSlotCount, sent);
            Assert.Equal(1, nic.Statistics.TransmitQueueFull);
            Assert.False(nic.TrySend(NetFrames.Make(100, sent)));
            Assert.Equal(2, nic.Statistics.TransmitQueueFull);

            sim.Pump();
            Assert.True(nic.TrySend(NetFrames.Make(100, sent)));
            sim.Pump();
            Assert.Equal(sent + 1, sim.Sent.Count);
            for (int i = 0; i <= sent; i++)
            {
                Assert.Equal(NetFrames.Make(100, i), sim.Sent[i].Bytes);
            }

            Assert.Equal(sent + 1, nic.Statistics.FramesSent);
            Assert.Equal(0, nic.Statistics.Dropped);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [InlineData(SimLayout.MmioV1)]
        [InlineData(SimLayout.MmioV2)]
        [InlineData(SimLayout.PciModern)]
        public void APolledDeviceWorksWithoutInterrupts(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, interrupts: InterruptMode.Polled);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(InterruptMode.Polled, nic.InterruptMode);
            int arrivals = 0;
            nic.FramesArrived = () => arrivals++;
            Assert.Equal(1, sim.Deliver(NetFrames.Make(90, 1)));
            Assert.True(nic.HasFrameWaiting);
            byte[] buffer = new byte[1518];
            Assert.Equal(90, nic.TryReceive(buffer));
            Assert.Equal(0, arrivals);
            Assert.Equal(0, sim.ReceiveQueue.InterruptsSignalled);
            Assert.True(nic.TrySend(NetFrames.Make(90, 2)));
            sim.Pump();
            Assert.Single(sim.Sent);
        }

        [Fact]
        public void InterruptsCanBeSwitchedOffForPolling()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            int arrivals = 0;
            nic.FramesArrived = () => arrivals++;
            nic.PollCompletions = true;
            Assert.Equal(InterruptMode.Polled, nic.InterruptMode);
            Assert.Equal(1, sim.Deliver(NetFrames.Make(90, 1)));
            Assert.Equal(0, arrivals);
            Assert.Equal(90, nic.TryReceive(new byte[1518]));
            nic.PollCompletions = false;
            Assert.Equal(1, sim.Deliver(NetFrames.Make(90, 2)));
            Assert.Equal(1, arrivals);
            Assert.Equal(90, nic.TryReceive(new byte[1518]));
        }

        [Theory]
        [InlineData(InterruptMode.MsiX)]
        [InlineData(InterruptMode.Msi)]
        [InlineData(InterruptMode.Intx)]
        public void FramesAndTransmitCompletionsArriveByInterruptInEveryMode(InterruptMode mode)
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern, interrupts: mode);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(mode, nic.InterruptMode);
            int arrivals = 0;
            nic.FramesArrived = () => arrivals++;
            Assert.Equal(1, sim.Deliver(NetFrames.Make(90, 1)));
            Assert.Equal(1, arrivals);
            Assert.True(sim.ReceiveQueue.InterruptsSignalled > 0);
            Assert.Equal(90, nic.TryReceive(new byte[1518]));
            Assert.True(nic.TrySend(NetFrames.Make(90, 2)));
            sim.Pump();
            Assert.True(sim.TransmitQueue.InterruptsSignalled > 0);
            Assert.Equal(1, nic.ReclaimTransmitBuffers());
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.Legacy), MemberType = typeof(Layouts))]
        public void WithoutIndirectDescriptorsALegacyFrameTakesTwoDescriptors(SimLayout layout)
        {
            ulong features = SimNetDevice.AllFeatures & ~(SimNetDevice.FeatureMrgRxbuf | SimDevice.FeatureIndirect);
            using SimNetDevice sim = SimNetDevice.Create(layout, features: features, queueSize: 64);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Equal(32, nic.ReceiveBufferCount);
            Assert.Equal(32, nic.TransmitSlotCount);
            int sent = 0;
            while (nic.TrySend(NetFrames.Make(60, sent)))
            {
                sent++;
            }

            Assert.Equal(32, sent);
            sim.Pump();
            Assert.All(sim.Sent, f => Assert.Equal(2, f.Segments));
            byte[] buffer = new byte[1518];
            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(1, sim.Deliver(NetFrames.Make(1514, i)));
                Assert.Equal(1514, nic.TryReceive(buffer));
                Assert.Equal(NetFrames.Make(1514, i), buffer.AsSpan(0, 1514).ToArray());
            }

            Assert.Equal(32, sim.ReceiveBuffersAvailable);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [InlineData(13)]
        [InlineData(1519)]
        public void AFrameOutsideTheEthernetLimitsIsAnArgumentError(int length)
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Throws<ArgumentException>(() => nic.TrySend(new byte[length]));
            Assert.Equal(0, nic.Statistics.FramesSent);
        }
    }
}
