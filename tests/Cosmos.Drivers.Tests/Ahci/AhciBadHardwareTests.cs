using System;
using System.Diagnostics;
using System.Linq;
using Cosmos.Drivers.Ahci;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Ahci
{
    /// <summary>An HBA or a disk that does not answer, or answers wrongly, is reported with a reason and never hangs the driver.</summary>
    public class AhciBadHardwareTests
    {
        [Fact]
        public void AnHbaThatNeverFinishesResetIsReportedWithinItsTimeout()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16));
            rig.Hba.ResetNeverCompletes = true;
            var clock = Stopwatch.StartNew();
            AhciController? controller = rig.Start(out string? error);
            Assert.Null(controller);
            Assert.StartsWith("HBA reset did not complete (GHC.HR still set after 50 ms", error);
            Assert.True(clock.ElapsedMilliseconds < 2000, $"took {clock.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void AnIdentifyThatNeverCompletesSkipsThatPortOnly()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16)).HangingCommands.Add(0xEC);
            rig.Hba.Attach(1, new SimAhciDrive(32));
            AhciController controller = rig.Start();
            AhciDisk disk = Assert.Single(controller.Disks);
            Assert.Equal(32UL, disk.BlockCount);
            string note = controller.PortNotes.Single(n => n.StartsWith("port 0:"));
            Assert.Contains("IDENTIFY failed: Timeout", note);
            Assert.Contains("command 0xec at LBA 0 did not complete in 50 ms", note);
        }

        [Fact]
        public void AReadThatNeverCompletesFailsThatRequestAndThePortRecovers()
        {
            using var rig = new AhciRig();
            SimAhciDrive drive = rig.Hba.Attach(0, new SimAhciDrive(64));
            AhciDisk disk = Assert.Single(rig.Start().Disks);
            drive.HangingCommands.Add(0x25);
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(1, new byte[512]));
            Assert.Contains("did not complete", disk.LastError);
            drive.HangingCommands.Clear();
            byte[] buffer = new byte[512];
            Assert.Equal(BlockResult.Ok, disk.Read(1, buffer));
            Assert.Equal(drive.Image.AsSpan(512, 512).ToArray(), buffer);
        }

        [Fact]
        public void ATaskFileErrorFailsThatRequestAsAnIoErrorOnly()
        {
            using var rig = new AhciRig();
            SimAhciDrive drive = rig.Hba.Attach(0, new SimAhciDrive(64));
            AhciDisk disk = Assert.Single(rig.Start().Disks);
            drive.FailingLbas.Add(10);
            Assert.Equal(BlockResult.IoError, disk.Read(8, new byte[4 * 512]));
            Assert.Contains("failed (PxIS=0x40000000, PxTFD=0x451, error 0x04)", disk.LastError);
            Assert.Equal(BlockResult.IoError, disk.Write(10, new byte[512]));
            byte[] buffer = new byte[512];
            Assert.Equal(BlockResult.Ok, disk.Read(11, buffer));
            Assert.Equal(drive.Image.AsSpan(11 * 512, 512).ToArray(), buffer);
        }

        [Fact]
        public void APortWhoseCommandListNeverStopsIsReportedAndTheOthersStillStart()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16));
            rig.Hba.Attach(1, new SimAhciDrive(16));
            rig.Hba.PortNeverStops = 0; // wedged: ST and CR stay set through the HBA reset
            AhciController controller = rig.Start();
            AhciDisk disk = Assert.Single(controller.Disks);
            Assert.Contains("port 1", disk.Transport);
            Assert.Contains("port 0: port 0: command list did not stop (PxCMD.CR still set after 20 ms)", controller.PortNotes);
        }

        [Fact]
        public void ADeviceThatStaysBusyIsSkipped()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16) { StaysBusy = true });
            rig.Hba.Attach(1, new SimAhciDrive(16));
            AhciController controller = rig.Start();
            Assert.Single(controller.Disks);
            Assert.Contains(controller.PortNotes, n => n.StartsWith("port 0: port 0: device stayed busy (PxTFD=0x80"));
        }

        [Fact]
        public void AnIdentifyThatClaimsNoSectorsIsRefused()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16) { IdentifySectors = 0 });
            AhciController controller = rig.Start();
            Assert.Empty(controller.Disks);
            Assert.Contains("port 0: IDENTIFY reports 0 sectors", controller.PortNotes);
        }

        [Fact]
        public void ADiskWithoutLba48IsRefused()
        {
            using var rig = new AhciRig();
            rig.Hba.Attach(0, new SimAhciDrive(16) { Lba48 = false });
            AhciController controller = rig.Start();
            Assert.Empty(controller.Disks);
            Assert.Contains(controller.PortNotes, n => n.Contains("no 48-bit addressing"));
        }

        [Fact]
        public void A32BitHbaWithDmaMemoryAbove4GiBIsRefused()
        {
            using var rig = new AhciRig();
            rig.Hba.Addressing64 = false; // the fake DMA allocator hands out addresses at 32 GiB
            rig.Hba.Attach(0, new SimAhciDrive(16));
            AhciController controller = rig.Start();
            Assert.Empty(controller.Disks);
            Assert.Contains(controller.PortNotes, n => n.Contains("addresses only 32 bits (CAP.S64A=0)"));
            Assert.Equal(0, rig.Dma.LiveAllocations);
        }
    }
}
