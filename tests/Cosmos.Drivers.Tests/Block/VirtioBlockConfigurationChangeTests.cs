using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Block
{
    /// <summary>
    /// A disk whose capacity the host changes under the driver (QEMU's block_resize; VirtIO 1.2 §2.5, §5.2.4), and
    /// failed requests reported on the driver's log with what they were.
    /// </summary>
    public class VirtioBlockConfigurationChangeTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void TheCapacityIsReadAgainAfterAConfigurationInterruptAndTheChangeLogged(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            var log = new List<string>();
            disk.Name = "vdz";
            disk.Log = log.Add;
            Assert.NotEqual(InterruptMode.Polled, disk.InterruptMode);
            Assert.Equal(2048UL, disk.BlockCount);

            // Without the interrupt the driver has no reason to look again.
            BinaryPrimitives.WriteUInt64LittleEndian(sim.Device.Config, 1024);
            Assert.Equal(2048UL, disk.BlockCount);

            sim.Device.SignalConfigChange();
            Assert.Equal(1024UL, disk.BlockCount);
            Assert.Equal(1, disk.ConfigurationChanges);
            Assert.Equal(new[] { "[virtio-blk] vdz: capacity changed from 2048 to 1024 blocks of 512 B" }, log);

            // The new size bounds requests; what is still inside reads as before.
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.Read(1500, new byte[512]));
            byte[] sector = new byte[512];
            Assert.Equal(BlockResult.Ok, disk.Read(1000, sector));
            Assert.Equal(sim.Disk.AsSpan(1000 * 512, 512).ToArray(), sector);

            // A change interrupt that changes nothing the driver uses is not logged.
            sim.Device.SignalConfigChange();
            Assert.Equal(1024UL, disk.BlockCount);
            Assert.Single(log);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void FailedRequestsAreLoggedWithWhatTheyWereThenOnlyCounted()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            var log = new List<string>();
            disk.Name = "vdz";
            disk.Log = log.Add;
            sim.StatusFor = r => r.Sector >= 8 && r.Sector < 100 ? (byte)1 : null;
            for (ulong i = 0; i < 20; i++)
            {
                Assert.Equal(BlockResult.IoError, disk.Read(8 + i, new byte[1024]));
            }

            Assert.Equal(BlockResult.IoError, disk.Write(50, new byte[512]));
            Assert.Equal(BlockResult.Ok, disk.Read(200, new byte[512]));
            Assert.Equal(21, disk.FailedRequests);
            Assert.Equal(16, log.Count);
            Assert.Equal("[virtio-blk] vdz: read of 2 sectors at 8: I/O error (status 1)", log[0]);
            Assert.Equal("[virtio-blk] vdz: read of 2 sectors at 23: I/O error (status 1); further failures are only counted", log[15]);
        }
    }
}
