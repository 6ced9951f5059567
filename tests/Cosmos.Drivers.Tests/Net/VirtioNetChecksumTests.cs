using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Net;
using Xunit;

namespace Cosmos.Drivers.Tests.Net
{
    /// <summary>Checksum offload both ways (§5.1.6.2, §5.1.6.4): DATA_VALID reported, NEEDS_CSUM completed or requested.</summary>
    public class VirtioNetChecksumTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void DataValidMarksTheFrameChecksumValid(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            byte[] frame = NetFrames.Make(200, 1);
            sim.Deliver(frame, flags: SimNetDevice.FlagDataValid);
            sim.Deliver(frame);
            byte[] buffer = new byte[1518];
            Assert.Equal(200, nic.TryReceive(buffer, out bool valid));
            Assert.True(valid);
            Assert.Equal(frame, buffer.AsSpan(0, 200).ToArray());
            Assert.Equal(200, nic.TryReceive(buffer, out valid));
            Assert.False(valid);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void APartialChecksumFromTheDeviceIsCompletedBeforeTheStackSeesIt(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.True(nic.ReceivesPartialChecksums);
            byte[] partial = NetFrames.PartialUdp(301, 9);
            Assert.False(NetFrames.UdpChecksumVerifies(partial));
            sim.Deliver(partial, flags: SimNetDevice.FlagNeedsCsum, checksumStart: 34, checksumOffset: 6, bytesPerBuffer: 150);
            byte[] buffer = new byte[1518];
            int length = nic.TryReceive(buffer, out bool valid);
            Assert.Equal(partial.Length, length);
            Assert.True(valid);
            Assert.True(NetFrames.UdpChecksumVerifies(buffer.AsSpan(0, length)));
            Assert.Equal(partial.AsSpan(0, 40).ToArray(), buffer.AsSpan(0, 40).ToArray());
            Assert.Equal(partial.AsSpan(42).ToArray(), buffer.AsSpan(42, length - 42).ToArray());
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WithCsumTheDeviceIsAskedToComputeTheChecksum(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.True(nic.OffloadsTransmitChecksum);
            byte[] frame = NetFrames.PartialUdp(100, 3);
            Assert.True(nic.TrySend(frame, 34, 6));
            sim.Pump();
            SimNetDevice.Frame sent = Assert.Single(sim.Sent);
            Assert.Equal(SimNetDevice.FlagNeedsCsum, sent.Flags);
            Assert.Equal(34, sent.ChecksumStart);
            Assert.Equal(6, sent.ChecksumOffset);
            Assert.Equal(frame, sent.Bytes); // left partial for the device
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WithoutCsumTheDriverComputesTheChecksumItself(SimLayout layout)
        {
            using SimNetDevice sim = SimNetDevice.Create(layout, features: SimNetDevice.AllFeatures & ~SimNetDevice.FeatureCsum);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.False(nic.OffloadsTransmitChecksum);
            byte[] frame = NetFrames.PartialUdp(101, 4);
            Assert.True(nic.TrySend(frame, 34, 6));
            sim.Pump();
            SimNetDevice.Frame sent = Assert.Single(sim.Sent);
            Assert.Equal(0, sent.Flags);
            Assert.True(NetFrames.UdpChecksumVerifies(sent.Bytes));
            Assert.Empty(sim.Device.Violations); // no NEEDS_CSUM without CSUM
        }

        [Fact]
        public void ThePlainSendComputesNothing()
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            byte[] frame = NetFrames.PartialUdp(50, 5);
            Assert.True(nic.TrySend(frame));
            sim.Pump();
            SimNetDevice.Frame sent = Assert.Single(sim.Sent);
            Assert.Equal(0, sent.Flags);
            Assert.Equal(frame, sent.Bytes);
        }

        [Theory]
        [InlineData(-1, 6)]
        [InlineData(34, -1)]
        [InlineData(100, 0)]
        [InlineData(34, 65)]
        public void AChecksumFieldOutsideTheFrameIsAnArgumentError(int start, int offset)
        {
            using SimNetDevice sim = SimNetDevice.Create(SimLayout.PciModern);
            VirtioNetDevice nic = sim.StartDriver();
            Assert.Throws<ArgumentOutOfRangeException>(() => nic.TrySend(new byte[100], start, offset));
        }
    }
}
