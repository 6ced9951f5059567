using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// Devices that change or fail under a running kernel (issue 10, part 2), driven from the host through QMP while the
/// CosmosKernel shell runs: a virtio-blk disk grown with <c>block_resize</c> (the device bumps the configuration
/// generation and sends a configuration change interrupt), virtio-net's link switched off and on with <c>set_link</c>,
/// read errors injected by QEMU's <c>blkdebug</c> driver on a sector range of one file, and <c>device_del</c> of a disk
/// the guest never ejects. Each time the kernel must say what happened on COM1, go on running, and every other file and
/// device must keep working. Images are made by mkfs.fat and mtools, never by Cosmos code.
/// </summary>
public sealed class LyingDeviceTests
{
    private const long DiskBytes = 16 << 20;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(150);

    /// <summary>CosmosKernel with two virtio-blk disks (ids disk0, disk1; drives d0, d1), virtio-net (nic0) and a QMP socket.</summary>
    private static QmpShellMachine Machine(string firstDrive, string secondDrive) =>
        new("CosmosKernel with two disks and virtio-net under QMP",
        [
            "-drive", firstDrive + ",if=none,id=d0", "-device", "virtio-blk-pci,drive=d0,id=disk0,serial=first",
            "-drive", secondDrive + ",if=none,id=d1", "-device", "virtio-blk-pci,drive=d1,id=disk1,serial=second",
            "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-pci,netdev=n0,id=nic0",
        ], Lifetime);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string RawDrive(string image) => $"file={image},format=raw";

    [Fact]
    public void AGrownDiskIsNoticedAndKeepsReading()
    {
        using var images = new FatImageWorkspace("lying-resize");
        string first = images.NewImage("first.img", DiskBytes);
        FatVolume volume = images.Format(first, 16, 0, DiskBytes / 512, "GROWS");
        byte[] data = Pattern(200_000, 1);
        images.Copy(volume, "/DATA.BIN", data);
        string second = images.NewImage("second.img", DiskBytes);
        images.Copy(images.Format(second, 16, 0, DiskBytes / 512, "OTHER"), "/OTHER.TXT", Encoding.ASCII.GetBytes("other disk\n"));

        using var machine = Machine(RawDrive(first), RawDrive(second));
        Assert.Matches(@"vda +Block +virtio-blk .* 32768 blocks of 512 B", machine.Run("lsdev"));
        Assert.Contains(Sha256(data), machine.Run("sha256 /vda/DATA.BIN"));

        // QEMU grows the image file, bumps config_generation and raises a configuration change interrupt (§2.5.1, §4.1.4.3).
        machine.Qmp.Execute("block_resize", new JsonObject { ["device"] = "d0", ["size"] = 2 * DiskBytes });
        string lsdev = machine.RunUntil("lsdev", @"vda +Block .* 65536 blocks of 512 B");
        Assert.Contains("[virtio-blk] vda: capacity changed from 32768 to 65536 blocks of 512 B", machine.Session.Serial);
        Assert.Matches(@"vdb +Block +virtio-blk .* 32768 blocks of 512 B", lsdev);

        // The mounted volume and the other disk read exactly as before; the new space is readable through the driver too.
        Assert.Contains(Sha256(data), machine.Run("sha256 /vda/DATA.BIN"));
        Assert.Contains("other disk", machine.Run("cat /vdb/OTHER.TXT"));
        machine.Run("write /vda/AFTER.TXT written after the resize");
        machine.Run("sync");
        Assert.Contains("written after the resize", machine.Run("cat /vda/AFTER.TXT"));
        Assert.Equal(2 * DiskBytes, new FileInfo(first).Length);
        Assert.DoesNotContain("PANIC", machine.Session.Serial);
    }

    [Fact]
    public void LinkChangesAreReportedAndTheNetworkComesBack()
    {
        using var images = new FatImageWorkspace("lying-link");
        string first = images.NewImage("first.img", DiskBytes);
        images.Format(first, 16, 0, DiskBytes / 512, "FIRST");
        string second = images.NewImage("second.img", DiskBytes);
        images.Format(second, 16, 0, DiskBytes / 512, "SECOND");

        using var machine = Machine(RawDrive(first), RawDrive(second));
        Assert.Contains("eth0: link up", machine.RunUntil("ifconfig", "inet 10\\.0\\.2\\.15"));
        Assert.Matches(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));

        // set_link changes the STATUS field of the configuration and interrupts (virtio-net §5.1.4).
        machine.Qmp.Execute("set_link", new JsonObject { ["name"] = "nic0", ["up"] = false });
        machine.RunUntil("ifconfig", "eth0: link down");
        Assert.Contains("[virtio-net] eth0: link down", machine.Session.Serial);
        Assert.DoesNotMatch(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));

        machine.Qmp.Execute("set_link", new JsonObject { ["name"] = "nic0", ["up"] = true });
        machine.RunUntil("ifconfig", "eth0: link up");
        Assert.Contains("[virtio-net] eth0: link up", machine.Session.Serial);
        Assert.Matches(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));
        Assert.DoesNotContain("PANIC", machine.Session.Serial);
    }

    [Fact]
    public void InjectedReadErrorsFailOnlyThatFileAndOtherDevicesKeepWorking()
    {
        using var images = new FatImageWorkspace("lying-blkdebug");
        string first = images.NewImage("first.img", DiskBytes);
        FatVolume firstVolume = images.Format(first, 16, 0, DiskBytes / 512, "FIRST");
        byte[] good = Pattern(100_000, 2);
        images.Copy(firstVolume, "/GOOD.BIN", good);

        string second = images.NewImage("second.img", DiskBytes);
        FatVolume volume = images.Format(second, 16, 0, DiskBytes / 512, "FAILING");
        images.Copy(volume, "/BEFORE.TXT", Encoding.ASCII.GetBytes("read before the bad file\n"));
        byte[] bad = Pattern(64 * 1024, 3);
        images.Copy(volume, "/BAD.BIN", bad);
        byte[] after = Pattern(30_000, 4);
        images.Copy(volume, "/AFTER.BIN", after);

        // The sector in the middle of BAD.BIN's first cluster run: blkdebug fails every guest read that overlaps it with EIO.
        FatLayout layout = FatImageWorkspace.ReadLayout(volume);
        (uint firstCluster, _) = images.ClusterRuns(volume, "/BAD.BIN")[0];
        long dataStart = layout.ReservedSectors + layout.FatCount * layout.SectorsPerFat + (layout.RootEntryCount * 32 + 511) / 512;
        long badSector = dataStart + (firstCluster - 2) * layout.SectorsPerCluster + layout.SectorsPerCluster / 2;
        string rules = images.PathOf("blkdebug.conf");
        File.WriteAllText(rules, $"[inject-error]\nevent = \"read_aio\"\nerrno = \"5\"\nsector = \"{badSector.ToString(CultureInfo.InvariantCulture)}\"\n");

        using var machine = Machine(RawDrive(first), $"file=blkdebug:{rules}:{second},format=raw");
        Assert.Contains("read before the bad file", machine.Run("cat /vdb/BEFORE.TXT"));

        string failed = machine.Run("sha256 /vdb/BAD.BIN");
        Assert.Matches(@"sha256: Input/output error .*'/vdb/BAD\.BIN'", failed);
        Match report = Regex.Match(failed, @"\[virtio-blk\] vdb: read of (\d+) sectors at (\d+): I/O error \(status 1\)");
        Assert.True(report.Success, $"no driver report of the failed read on COM1:\n{failed}");
        long reportedFirst = long.Parse(report.Groups[2].Value, CultureInfo.InvariantCulture);
        long reportedCount = long.Parse(report.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(badSector, reportedFirst, reportedFirst + reportedCount - 1);

        // The same read fails again (the device keeps failing, the kernel keeps no bad data), everything else works.
        Assert.Contains("Input/output error", machine.Run("cat /vdb/BAD.BIN"));
        Assert.Contains(Sha256(after), machine.Run("sha256 /vdb/AFTER.BIN"));
        Assert.Contains(Sha256(good), machine.Run("sha256 /vda/GOOD.BIN"));
        machine.Run("write /vdb/NEW.TXT written beside the bad file");
        machine.Run("sync");
        Assert.Contains("written beside the bad file", machine.Run("cat /vdb/NEW.TXT"));
        machine.RunUntil("ifconfig", "inet 10\\.0\\.2\\.15");
        Assert.Matches(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));
        Assert.DoesNotContain("PANIC", machine.Session.Serial);
        machine.Session.TypeLine("shutdown");
        machine.Session.WaitFor("Powering off.");
        Assert.Equal(0, machine.Session.WaitForExit(TimeSpan.FromSeconds(20)));

        // What the kernel wrote beside the failing file is on the image, and the volume is consistent.
        FsckResult fsck = images.Check(volume);
        Assert.True(fsck.IsClean, fsck.Output);
        Assert.Equal("written beside the bad file\n", images.Run("mtype", "-i", volume.MtoolsDrive, "::/NEW.TXT").Replace("\r", "", StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>device_del</c> on QEMU's <c>pc</c> machine is a request to the guest (ACPI PCI hotplug: a GPE, then the guest
    /// evaluates _EJ0); CosmosKernel does no ACPI hotplug, so QEMU keeps the device and never sends DEVICE_DELETED. What
    /// is tested is that the request harms nothing: the disk stays listed by QEMU and keeps working in the guest, the
    /// other disk too. A device really taken away under the driver (surprise removal) is not covered: QEMU has none for PCI.
    /// </summary>
    [Fact]
    public void AnUnplugRequestTheKernelDoesNotAnswerLeavesTheDiskWorking()
    {
        using var images = new FatImageWorkspace("lying-unplug");
        string first = images.NewImage("first.img", DiskBytes);
        images.Copy(images.Format(first, 16, 0, DiskBytes / 512, "FIRST"), "/FIRST.TXT", Encoding.ASCII.GetBytes("first disk\n"));
        string second = images.NewImage("second.img", DiskBytes);
        images.Copy(images.Format(second, 16, 0, DiskBytes / 512, "SECOND"), "/SECOND.TXT", Encoding.ASCII.GetBytes("second disk\n"));

        using var machine = Machine(RawDrive(first), RawDrive(second));
        machine.Qmp.Execute("device_del", new JsonObject { ["id"] = "disk1" });
        System.Threading.Thread.Sleep(3000);
        Assert.Contains("\"disk1\"", machine.Qmp.Execute("query-pci")!.ToJsonString());
        Assert.Contains("second disk", machine.Run("cat /vdb/SECOND.TXT"));
        Assert.Contains("first disk", machine.Run("cat /vda/FIRST.TXT"));
        Assert.DoesNotContain("PANIC", machine.Session.Serial);
    }
}
