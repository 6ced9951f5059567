using System;
using System.Collections.Generic;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Fuzz
{
    /// <summary>
    /// Regression tests for what `./cosmos fuzz` found in the drivers (docs/robustness.md), each with the values of
    /// the crashing input.
    /// </summary>
    public class FuzzFindingTests
    {
        private const ulong Version1 = 1UL << 32;
        private const ulong SizeMax = 1UL << 1, SegMax = 1UL << 2, BlockSize = 1UL << 6, Discard = 1UL << 13, WriteZeroes = 1UL << 14;

        /// <summary>
        /// virtio-config finding: a virtio-blk device offering SEG_MAX, BLK_SIZE, DISCARD or WRITE_ZEROES with a
        /// configuration space that ends before those fields made Start throw ArgumentOutOfRangeException
        /// ("configuration access of 4 bytes at 0x24 is outside its 39 bytes"). Start must fail with a sentence instead.
        /// </summary>
        [Theory]
        [InlineData(0, SegMax, 16)]
        [InlineData(19, SizeMax | SegMax | BlockSize, 24)]
        [InlineData(29, Discard, 48)]
        [InlineData(39, Discard | WriteZeroes, 52)]
        [InlineData(48, WriteZeroes, 52)]
        public void BlockConfigurationShorterThanItsFeaturesFailsTheStart(int configLength, ulong features, int needed)
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern, new SimOptions
            {
                DeviceType = 2,
                Features = Version1 | features,
                QueueCount = 1,
                MaxQueueSize = 128,
                ConfigLength = configLength,
            });
            rig.Device.Config.AsSpan().Fill(0x10);

            var started = VirtioBlockDevice.Start(rig.Transport, rig.Memory, new SimWaiter());

            Assert.False(started.IsSuccess);
            Assert.Contains($"configuration is {configLength} bytes", started.Error);
            Assert.Contains($"need {needed}", started.Error);
            Assert.NotEqual(0, rig.Device.Status & 128); // FAILED
        }

        [Fact]
        public void BlockConfigurationLongEnoughForItsFeaturesStillStarts()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            Assert.True(VirtioBlockDevice.Start(sim.Rig.Transport, sim.Rig.Memory, new SimWaiter()).IsSuccess);
        }

        /// <summary>
        /// virtio-blk-io finding: a used id out of range broke the queue and failed the direct reads in flight, whose
        /// callers took their memory back, but the device was not reset, so its late completion of those reads wrote into
        /// memory the driver no longer owned. A broken queue now resets the device and fails the disk.
        /// </summary>
        [Fact]
        public void ALieThatBreaksTheQueueResetsTheDeviceBeforeItsBuffersGoBack()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            var log = new List<string>();
            disk.Name = "vdb";
            disk.Log = log.Add;
            sim.Device.AutoProcess = false;
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(0, sim.Rig.Memory.Allocate(512, 512), out int first));
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(1, sim.Rig.Memory.Allocate(512, 512), out int second));
            sim.Queue.Fetch();
            sim.Queue.WriteUsed(772, 1);

            Assert.Equal(BlockResult.DeviceFailed, disk.Complete(first));
            Assert.True(disk.IsFailed);
            Assert.Equal((byte)0, sim.Device.Status);   // reset: the device drops the second read's buffer with its rings
            Assert.Equal(BlockResult.DeviceFailed, disk.Complete(second));
            Assert.Contains("[virtio-blk] vdb: the device broke its queue (virtio-blk queue 0: device returned used id 772, queue size is 128); the disk is failed: every later request fails", log);
        }

        /// <summary>
        /// virtio-blk-io finding: without indirect descriptors the driver kept Size / 3 request slots although a request
        /// takes up to SEG_MAX + 2 descriptors, so asynchronous requests of three segments filled a 16-entry ring with slots
        /// still free, and a synchronous read then threw InvalidOperationException ("all 5 request slots are held by tickets
        /// nobody collected"). The slots now leave room in the ring for a whole request each.
        /// </summary>
        [Fact]
        public void EveryFreeSlotHasRoomInTheRingForARequestOfSegMaxSegments()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(
                SimLayout.PciModern, features: SimBlockDevice.AllFeatures & ~SimDevice.FeatureIndirect, segMax: 3, sizeMax: 1024, queueSize: 16);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(3, disk.Limits.MaxSegments);
            Assert.Equal(16 / (3 + 2), disk.QueueDepth);

            sim.Device.AutoProcess = false;
            var tickets = new List<int>();
            for (int i = 0; i < disk.QueueDepth - 1; i++)
            {
                DmaBuffer buffer = sim.Rig.Memory.Allocate(3072, 512);   // three 1024-byte segments
                Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead((ulong)(i * 6), buffer, out int ticket));
                tickets.Add(ticket);
            }

            byte[] data = new byte[3072];
            Assert.Equal(BlockResult.Ok, disk.Read(100, data));
            Assert.Equal(SimBlockDevice.Pattern(100 * 512), data[0]);
            foreach (int ticket in tickets)
            {
                Assert.Equal(BlockResult.Ok, disk.Complete(ticket));
            }
        }

        /// <summary>
        /// virtio-blk-io finding: a GET_ID the device answered with status OK and a used length of 4 (3 bytes of the id)
        /// came back as a serial of "fuz" and 17 bytes left in the slot's bounce buffer by an earlier read. Like a short
        /// read, it now fails, and GetId gives null.
        /// </summary>
        [Fact]
        public void AGetIdShorterThanTwentyBytesGivesNoSerial()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[512]));
            sim.LengthFor = (request, honest) => request.Type == SimBlockDevice.TypeGetId ? 4u : honest;
            Assert.Null(disk.GetId());
            sim.LengthFor = null;
            Assert.Equal(sim.Serial, disk.GetId());
        }

        /// <summary>
        /// virtio-blk-io finding: the device repeated the used element of a read it had completed, the driver handed the
        /// same descriptor id to the next read before looking at the used ring, and then took the repeat for that read's
        /// completion (status never written: DeviceFailed) while the device still held its buffer; the caller reused the
        /// buffer and the device's real completion wrote into it. The used ring is now read before an id is reused, so
        /// the repeat is seen while no request has that id: it breaks the queue and the device is reset.
        /// </summary>
        [Fact]
        public void AUsedElementRepeatedBeforeTheIdIsReusedBreaksTheQueueInsteadOfCompletingTheNextRequest()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.Device.AutoProcess = false;
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(6, sim.Rig.Memory.Allocate(512, 512), out int first));
            sim.Queue.ProcessAll();
            Assert.Equal(BlockResult.Ok, disk.Complete(first));
            sim.Queue.WriteUsed(sim.Requests[^1].Chain.Head, 513);   // the same completion again

            Assert.Equal(VirtioBlockSubmitStatus.DeviceFailed, disk.SubmitRead(7, sim.Rig.Memory.Allocate(512, 512), out _));
            Assert.NotNull(disk.QueueError);   // nothing is in flight, so the used index moved past what the driver posted
            Assert.True(disk.IsFailed);
            Assert.Equal((byte)0, sim.Device.Status);
        }
    }
}
