using System;
using System.Linq;
using Cosmos.Drivers.Ahci;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Ahci
{
    /// <summary>Bringing up an HBA and moving data through READ/WRITE DMA EXT against the simulated HBA.</summary>
    public class AhciDiskTests
    {
        [Fact]
        public void IdentifyFindsTheDiskWithItsSizeAndModel()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(2, new SimAhciDrive(4096) { Model = "SIM SATA DISK" });
            AhciController controller = rig.Start();
            AhciDisk disk = Assert.Single(controller.Disks);
            Assert.Equal(4096UL, disk.BlockCount);
            Assert.Equal(512, disk.BlockSize);
            Assert.Equal("SIM SATA DISK", disk.Model);
            Assert.Equal("SIM0001", disk.Serial);
            Assert.Equal("sd", disk.NameStem);
            Assert.Equal(DeviceClass.Block, disk.Class);
            Assert.Contains("port 2", disk.Transport);
            Assert.Equal(0x0001_0301u, controller.Version);
            Assert.Equal(1, rig.Hba.Resets);
            // The five empty ports are listed, not failures.
            Assert.Equal(5, controller.PortNotes.Count);
            Assert.All(controller.PortNotes, note => Assert.EndsWith("no device", note));
        }

        [Fact]
        public void ReadsMatchTheImageAcrossBounceBufferChunks()
        {
            using var rig = new AhciRig();
            SimAhciDrive drive = rig.Hba.Attach(0, new SimAhciDrive(2048));
            AhciDisk disk = Assert.Single(rig.Start().Disks);
            byte[] buffer = new byte[300 * 512]; // more than two 64 KiB chunks
            Assert.Equal(BlockResult.Ok, disk.Read(17, buffer));
            Assert.Equal(drive.Image.AsSpan(17 * 512, buffer.Length).ToArray(), buffer);
            var reads = drive.Completed.Where(c => c.Command == 0x25).ToList();
            Assert.Equal(new[] { (0x25, 17UL, 128), (0x25, 145UL, 128), (0x25, 273UL, 44) }, reads.Select(r => ((int)r.Command, r.Lba, r.Count)));
        }

        [Fact]
        public void WritesReachTheImageAndReadBack()
        {
            using var rig = new AhciRig();
            SimAhciDrive drive = rig.Hba.Attach(0, new SimAhciDrive(2048));
            AhciDisk disk = Assert.Single(rig.Start().Disks);
            byte[] data = new byte[200 * 512];
            new Random(5).NextBytes(data);
            Assert.Equal(BlockResult.Ok, disk.Write(1000, data));
            Assert.Equal(data, drive.Image.AsSpan(1000 * 512, data.Length).ToArray());
            byte[] back = new byte[data.Length];
            Assert.Equal(BlockResult.Ok, disk.Read(1000, back));
            Assert.Equal(data, back);
            Assert.Equal(BlockResult.Ok, disk.Flush());
            Assert.Contains(drive.Completed, c => c.Command == 0xEA);
        }

        [Fact]
        public void FourKibibyteSectorsAreHonoured()
        {
            using var rig = new AhciRig();
            SimAhciDrive drive = rig.Hba.Attach(0, new SimAhciDrive(64, sectorSize: 4096));
            AhciDisk disk = Assert.Single(rig.Start().Disks);
            Assert.Equal(4096, disk.BlockSize);
            byte[] buffer = new byte[20 * 4096];
            Assert.Equal(BlockResult.Ok, disk.Read(3, buffer));
            Assert.Equal(drive.Image.AsSpan(3 * 4096, buffer.Length).ToArray(), buffer);
        }

        [Fact]
        public void TwoDisksOnTwoPortsAreIndependent()
        {
            using var rig = new AhciRig();
            SimAhciDrive first = rig.Hba.Attach(0, new SimAhciDrive(128));
            SimAhciDrive second = rig.Hba.Attach(3, new SimAhciDrive(256));
            AhciController controller = rig.Start();
            Assert.Equal(2, controller.Disks.Count);
            byte[] a = new byte[512], b = new byte[512];
            Assert.Equal(BlockResult.Ok, controller.Disks[0].Read(5, a));
            Assert.Equal(BlockResult.Ok, controller.Disks[1].Read(5, b));
            Assert.Equal(first.Image.AsSpan(5 * 512, 512).ToArray(), a);
            Assert.Equal(second.Image.AsSpan(5 * 512, 512).ToArray(), b);
        }

        [Fact]
        public void RequestsOutsideTheDiskOrNotWholeBlocksThrow()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(100));
            AhciDisk disk = Assert.Single(rig.Start().Disks);
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.Read(99, new byte[1024]));
            Assert.Throws<ArgumentException>(() => disk.Read(0, new byte[100]));
            Assert.Equal(BlockResult.Ok, disk.Read(99, new byte[512]));
        }

        [Fact]
        public void AtapiAndUnknownSignaturesAreListedAndSkipped()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16) { Signature = 0xEB14_0101 });
            rig.Hba.Attach(1, new SimAhciDrive(16) { Signature = 0x1234_5678 });
            rig.Hba.Attach(2, new SimAhciDrive(16));
            AhciController controller = rig.Start();
            Assert.Single(controller.Disks);
            Assert.Contains(controller.PortNotes, n => n.StartsWith("port 0: ATAPI"));
            Assert.Contains(controller.PortNotes, n => n == "port 1: unknown device signature 0x12345678");
        }
    }
}
