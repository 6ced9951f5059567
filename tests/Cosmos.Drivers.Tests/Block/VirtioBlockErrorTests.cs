using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Block
{
    /// <summary>Device errors and lying completions fail the request they belong to, and only that one.</summary>
    public class VirtioBlockErrorTests
    {
        [Theory]
        [InlineData((byte)1, BlockResult.IoError)]
        [InlineData((byte)2, BlockResult.Unsupported)]
        [InlineData((byte)0x7F, BlockResult.DeviceFailed)]
        public void AStatusFailsThatRequestOnly(byte status, BlockResult expected)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.StatusFor = r => r.Sector == 8 ? status : null;
            Assert.Equal(expected, disk.Read(8, new byte[512]));
            Assert.Equal(expected, disk.Write(8, new byte[512]));
            byte[] other = new byte[512];
            Assert.Equal(BlockResult.Ok, disk.Read(9, other));
            Assert.Equal(sim.Disk.AsSpan(9 * 512, 512).ToArray(), other);
            Assert.Equal(0, disk.RequestsOutstanding);
            Assert.Null(disk.QueueError);
        }

        [Fact]
        public void AnErrorInTheMiddleOfAManyRequestReadIsReportedAfterTheRestComplete()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, segMax: 2, sizeMax: 4096);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.Device.AutoProcess = false;
            sim.StatusFor = r => r.Sector == 32 ? (byte)1 : null; // the third 8 KiB chunk
            Assert.Equal(BlockResult.IoError, disk.ReadMany(0, new byte[64 * 512], depth: 4));
            Assert.Equal(0, disk.RequestsOutstanding);
            sim.StatusFor = null;
            byte[] again = new byte[64 * 512];
            Assert.Equal(BlockResult.Ok, disk.ReadMany(0, again, depth: 4));
            Assert.Equal(sim.Disk.AsSpan(0, again.Length).ToArray(), again);
        }

        [Fact]
        public void GetIdErrorGivesNull()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.StatusFor = r => r.Type == SimBlockDevice.TypeGetId ? (byte)2 : null;
            Assert.Null(disk.GetId());
            sim.StatusFor = null;
            Assert.Equal(sim.Serial, disk.GetId());
        }

        [Fact]
        public void AStatusNeverWrittenFailsTheRequest()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.MmioV1);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.LeaveStatusUnwritten = r => r.Sector == 4;
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(4, new byte[512]));
            Assert.Equal(BlockResult.Ok, disk.Read(5, new byte[512]));
        }

        [Fact]
        public void AUsedLengthLongerThanTheBuffersFailsTheRequestNotTheQueue()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.LengthFor = (r, honest) => r.Sector == 4 ? 100_000u : honest;
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(4, new byte[512]));
            Assert.Null(disk.QueueError);
            Assert.Equal(BlockResult.Ok, disk.Read(5, new byte[512]));
        }

        [Fact]
        public void AShortReadLengthFailsTheRequest()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.LengthFor = (r, honest) => r.Sector == 4 ? 200u : honest;
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(4, new byte[1024]));
            sim.LengthFor = (r, honest) => 0u;
            Assert.Equal(BlockResult.DeviceFailed, disk.Write(4, new byte[512]));
            sim.LengthFor = null;
            Assert.Equal(BlockResult.Ok, disk.Read(4, new byte[1024]));
        }

        [Fact]
        public void AUsedIdOutOfRangeBreaksTheQueueAndEveryLaterRequestFails()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.Device.AutoProcess = false;
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(0, sim.Rig.Memory.Allocate(512, 512), out int ticket));
            sim.Queue.Fetch();
            sim.Queue.WriteUsed(5000, 1);
            sim.Queue.Pending.Clear();
            Assert.Equal(BlockResult.DeviceFailed, disk.Complete(ticket));
            Assert.NotNull(disk.QueueError);
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(0, new byte[512]));
            Assert.Null(disk.GetId());
            Assert.Equal(0, disk.RequestsOutstanding);
        }

        [Fact]
        public void ATicketCollectedTwiceThrows()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitFlush(out int ticket));
            Assert.Equal(BlockResult.Ok, disk.Complete(ticket));
            Assert.Throws<InvalidOperationException>(() => disk.Complete(ticket));
            Assert.Throws<InvalidOperationException>(() => disk.TryComplete(-1, out _));
        }
    }
}
