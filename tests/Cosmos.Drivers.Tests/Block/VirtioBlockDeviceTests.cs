using System;
using System.Linq;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Block
{
    /// <summary>virtio-blk against a simulated disk: configuration, reads, writes, flush, GET_ID, discard, write-zeroes.</summary>
    public class VirtioBlockDeviceTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ConfigurationGivesCapacityAndLimits(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout, sectors: 4096, segMax: 8, sizeMax: 4096);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(4096UL, disk.BlockCount);
            Assert.Equal(512, disk.BlockSize);
            Assert.False(disk.IsReadOnly);
            Assert.Equal(8, disk.Limits.MaxSegments);
            Assert.Equal(4096, disk.Limits.MaxSegmentBytes);
            Assert.Equal(8 * 4096, disk.MaxTransferBytes);
            Assert.True(disk.QueueDepth > 1);
            Assert.True(disk.SupportsDiscard);
            Assert.True(disk.SupportsWriteZeroes);
            Assert.True(disk.SupportsFlush);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ReadsAndWritesReachTheBackingStore(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            byte[] read = new byte[1024];
            Assert.Equal(BlockResult.Ok, disk.Read(3, read));
            Assert.Equal(sim.Disk.AsSpan(3 * 512, 1024).ToArray(), read);

            byte[] written = Enumerable.Range(0, 1536).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(BlockResult.Ok, disk.Write(10, written));
            Assert.Equal(written, sim.Disk.AsSpan(10 * 512, 1536).ToArray());
            Assert.Equal(BlockResult.Ok, disk.Read(10, read));
            Assert.Equal(written.AsSpan(0, 1024).ToArray(), read);
            Assert.Empty(sim.Device.Violations);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void CallersMemoryIsUsedDirectlyWhenTheDeviceCanReachItAndCopiedOtherwise(bool reachable)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            sim.Rig.Memory.AllowDescribe = reachable;
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            byte[] written = Enumerable.Range(0, 300 * 512).Select(i => (byte)(i * 13)).ToArray();
            Assert.Equal(BlockResult.Ok, disk.Write(20, written));
            byte[] read = new byte[300 * 512];
            Assert.Equal(BlockResult.Ok, disk.Read(20, read));
            Assert.Equal(written, read);
            Assert.Equal(written, sim.Disk.AsSpan(20 * 512, written.Length).ToArray());

            // Directly, each request may carry up to MaxTransferBytes; through bounce buffers at most 64 KiB.
            int largest = sim.Requests.Max(r => (int)r.DataBytes);
            if (reachable)
            {
                Assert.Equal(Math.Min(written.Length, disk.MaxTransferBytes), largest);
            }
            else
            {
                Assert.True(largest <= 64 * 1024, $"a bounced request of {largest} bytes");
            }

            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void LargeTransfersAreSplitWithinSegMaxAndSizeMax()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, segMax: 3, sizeMax: 2048);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            byte[] read = new byte[200 * 512];
            Assert.Equal(BlockResult.Ok, disk.Read(7, read));
            Assert.Equal(sim.Disk.AsSpan(7 * 512, read.Length).ToArray(), read);
            Assert.All(sim.Requests, r => Assert.InRange(r.DataSegments, 1, 3));
            Assert.Contains(sim.Requests, r => r.DataSegments == 3);
            Assert.Equal(read.Length, sim.Requests.Sum(r => (long)r.DataBytes));
            Assert.Empty(sim.Device.Violations); // SIZE_MAX and SEG_MAX checked by the device
        }

        [Fact]
        public void WithoutSegMaxEveryRequestHasOneDataSegment()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, features: SimBlockDevice.AllFeatures & ~SimBlockDevice.FeatureSegMax);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[64 * 1024]));
            Assert.All(sim.Requests, r => Assert.Equal(1, r.DataSegments));
        }

        [Fact]
        public void A4KiBLogicalBlockSizeAddressesSectorsOfEightPerBlock()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, sectors: 800, blockSize: 4096);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(4096, disk.BlockSize);
            Assert.Equal(100UL, disk.BlockCount);
            byte[] block = new byte[4096];
            Assert.Equal(BlockResult.Ok, disk.Read(2, block));
            Assert.Equal(16UL, sim.Requests[^1].Sector);
            Assert.Equal(sim.Disk.AsSpan(2 * 4096, 4096).ToArray(), block);
            Assert.Throws<ArgumentException>(() => disk.Read(0, new byte[512]));
        }

        [Fact]
        public void ASizeMaxBelowTheBlockSizeSplitsBlocksAcrossSegments()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, sectors: 800, blockSize: 4096, segMax: 16, sizeMax: 1024);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(16 * 1024, disk.MaxTransferBytes);
            byte[] blocks = new byte[3 * 4096];
            Assert.Equal(BlockResult.Ok, disk.Read(5, blocks));
            Assert.Equal(sim.Disk.AsSpan(5 * 4096, blocks.Length).ToArray(), blocks);
            Assert.Equal(12, sim.Requests.Single().DataSegments);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void LimitsThatCannotCarryOneBlockFailTheStart()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, sectors: 800, blockSize: 4096, segMax: 2, sizeMax: 1024);
            var started = VirtioBlockDevice.Start(sim.Rig.Transport, sim.Rig.Memory, new SimWaiter());
            Assert.False(started.IsSuccess);
            Assert.Contains("cannot carry one 4096-byte block", started.Error);
            Assert.NotEqual(0, sim.Device.Status & 128); // FAILED
        }

        [Fact]
        public void ABlockSizeThatIsNotAPowerOfTwoFallsBackTo512()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, blockSize: 1000);
            Assert.Equal(512, sim.StartDriver(new SimWaiter()).BlockSize);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ReadOnlyDisksRefuseWritesWithoutAskingTheDevice(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout, features: SimBlockDevice.AllFeatures | SimBlockDevice.FeatureReadOnly);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.True(disk.IsReadOnly);
            Assert.Equal(BlockResult.ReadOnly, disk.Write(0, new byte[512]));
            Assert.Equal(BlockResult.ReadOnly, disk.Discard(0, 1));
            Assert.Equal(BlockResult.ReadOnly, disk.WriteZeroes(0, 1));
            Assert.Equal(VirtioBlockSubmitStatus.ReadOnly, disk.SubmitWrite(0, sim.Rig.Memory.Allocate(512, 512), out _));
            Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[512]));
            Assert.DoesNotContain(sim.Requests, r => r.Type != SimBlockDevice.TypeIn);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void FlushSendsAFlushRequestWhenOffered()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(BlockResult.Ok, disk.Flush());
            Assert.True(sim.Requests.Single().Flushed);
            Assert.Equal(0, sim.Requests.Single().DataSegments);
        }

        [Fact]
        public void FlushWithoutTheFeatureIsANoOp()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, features: SimBlockDevice.AllFeatures & ~SimBlockDevice.FeatureFlush);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.False(disk.SupportsFlush);
            Assert.Equal(BlockResult.Ok, disk.Flush());
            Assert.Empty(sim.Requests);
            Assert.Equal(0, disk.RequestsOutstanding);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void GetIdReturnsTheSerial(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            sim.Serial = "exactly-twenty-chars";
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal("exactly-twenty-chars", disk.GetId());
            sim.Serial = "short";
            Assert.Equal("short", disk.GetId());
        }

        [Fact]
        public void WriteZeroesClearsTheRangeInSegmentsWithinTheLimit()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, maxWriteZeroesSectors: 16);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(BlockResult.Ok, disk.WriteZeroes(5, 40));
            Assert.All(sim.Disk.AsSpan(5 * 512, 40 * 512).ToArray(), b => Assert.Equal(0, b));
            Assert.Equal(SimBlockDevice.Pattern((5 * 512) - 1), sim.Disk[(5 * 512) - 1]);
            Assert.Equal(SimBlockDevice.Pattern(45 * 512), sim.Disk[45 * 512]);
            var ranges = sim.Requests.Where(r => r.Type == SimBlockDevice.TypeWriteZeroes).SelectMany(r => r.Ranges).ToList();
            Assert.Equal(new (ulong, uint, uint)[] { (5, 16, 0), (21, 16, 0), (37, 8, 0) }, ranges);
            byte[] back = new byte[40 * 512];
            Assert.Equal(BlockResult.Ok, disk.Read(5, back));
            Assert.All(back, b => Assert.Equal(0, b));
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void DiscardSendsOneSegmentPerRequest()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciLegacy, maxDiscardSectors: 64);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(BlockResult.Ok, disk.Discard(100, 70));
            var ranges = sim.Requests.Where(r => r.Type == SimBlockDevice.TypeDiscard).SelectMany(r => r.Ranges).ToList();
            Assert.Equal(new (ulong, uint, uint)[] { (100, 64, 0), (164, 6, 0) }, ranges);
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.SubmitDiscard(0, 65, out _));
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void DiscardAndWriteZeroesAreUnsupportedWhenNotOffered()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern,
                features: SimBlockDevice.AllFeatures & ~(SimBlockDevice.FeatureDiscard | SimBlockDevice.FeatureWriteZeroes));
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.False(disk.SupportsDiscard);
            Assert.False(disk.SupportsWriteZeroes);
            Assert.Equal(BlockResult.Unsupported, disk.Discard(0, 1));
            Assert.Equal(BlockResult.Unsupported, disk.WriteZeroes(0, 1));
            Assert.Empty(sim.Requests);
        }

        [Fact]
        public void OutOfRangeAndPartialBlocksThrow()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, sectors: 100);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.Read(100, new byte[512]));
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.Write(99, new byte[1024]));
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.WriteZeroes(90, 11));
            Assert.Throws<ArgumentException>(() => disk.Read(0, new byte[100]));
            Assert.Equal(BlockResult.Ok, disk.Read(99, new byte[512]));
            Assert.DoesNotContain(sim.Requests, r => r.Sector >= 100);
        }

        [Fact]
        public void CompletionsArriveByInterrupt()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            var waiter = new SimWaiter();
            VirtioBlockDevice disk = sim.StartDriver(waiter);
            Assert.Equal(InterruptMode.MsiX, disk.InterruptMode);
            sim.Device.AutoProcess = false;
            Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[512]));
            Assert.True(waiter.InterruptDrivenWaits > 0);
            Assert.True(sim.Rig.Interrupts!.Raised.Sum() > 0);
        }

        [Fact]
        public void PolledModeNeedsNoInterrupt()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.MmioV2, interrupts: InterruptMode.Polled);
            var waiter = new SimWaiter();
            VirtioBlockDevice disk = sim.StartDriver(waiter);
            Assert.Equal(InterruptMode.Polled, disk.InterruptMode);
            sim.Device.AutoProcess = false;
            Assert.Equal(BlockResult.Ok, disk.Read(1, new byte[512]));
            Assert.Equal(0, waiter.InterruptDrivenWaits);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void DetachFailsWhatIsInFlightRefusesTheRestAndResetsTheDevice(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            var log = new System.Collections.Generic.List<string>();
            disk.Name = "vdb";
            disk.Log = log.Add;
            sim.Device.AutoProcess = false;
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(0, sim.Rig.Memory.Allocate(512, 16), out int ticket));
            int requestsSeen = sim.Requests.Count;

            disk.Detach();
            Assert.True(disk.IsDetached);
            Assert.Equal((byte)0, sim.Device.Status);              // reset (§2.4): the device lets go of the rings
            Assert.True(disk.TryComplete(ticket, out BlockResult inFlight));
            Assert.Equal(BlockResult.DeviceFailed, inFlight);
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(0, new byte[512]));
            Assert.Equal(BlockResult.DeviceFailed, disk.Write(0, new byte[512]));
            Assert.Equal(requestsSeen, sim.Requests.Count);        // nothing more reached the device
            Assert.Equal("[virtio-blk] vdb: detached; 1 requests in flight failed", Assert.Single(log, line => line.Contains("detached", StringComparison.Ordinal)));
            disk.Detach();                                         // a second call changes nothing
            Assert.Single(log, line => line.Contains("detached", StringComparison.Ordinal));
        }
    }
}
