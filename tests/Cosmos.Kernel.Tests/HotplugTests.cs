using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// PCI Express native hot-plug (issue 10, part 2: "a device is reset by the host, QMP device_del"): on QEMU's q35 a
/// virtio-blk disk sits in the slot of a <c>pcie-root-port</c>. <c>device_del</c> presses the slot's attention button;
/// the kernel must flush and unmount the disk's volume, detach the driver and power the slot off, after which QEMU
/// really removes the device (it leaves <c>query-pci</c>). The other disk and the network go on working. The same
/// image is then plugged in again with <c>device_add</c> after the host changed it: the kernel powers the slot,
/// places the card's BARs, binds the driver and mounts the volume under a new name, and reads the host's change.
/// Then the network card in another slot leaves the stack the same way, and a new card on the same netdev gets its
/// address by DHCP again.
/// </summary>
public sealed class HotplugTests
{
    private const long DiskBytes = 16 << 20;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(200);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void ADiskInAHotplugSlotLeavesCleanlyAndComesBack()
    {
        using var images = new FatImageWorkspace("hotplug");
        string first = images.NewImage("first.img", DiskBytes);
        images.Copy(images.Format(first, 16, 0, DiskBytes / 512, "FIRST"), "/FIRST.TXT", Encoding.ASCII.GetBytes("first disk\n"));
        string second = images.NewImage("second.img", DiskBytes);
        FatVolume volume = images.Format(second, 16, 0, DiskBytes / 512, "SLOTTED");
        var data = new byte[200_000];
        new Random(10).NextBytes(data);
        images.Copy(volume, "/DATA.BIN", data);

        using var machine = new QmpShellMachine("CosmosKernel on q35 with a disk and a NIC in hot-plug slots",
        [
            "-M", "q35",
            // Since QEMU 6.1 q35 hot-plugs through ACPI by default and clears the ports' Hot-Plug Capable bit; the
            // kernel does PCI Express native hot-plug, which this switches back on.
            "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
            "-drive", $"file={first},format=raw,if=none,id=d0", "-device", "virtio-blk-pci,drive=d0,id=disk0,serial=first",
            "-device", "pcie-root-port,id=rp1,chassis=1,slot=1",
            "-device", "pcie-root-port,id=rp2,chassis=2,slot=2",
            // A -blockdev node outlives the device (a -drive would be deleted with it), so the same image can come back.
            "-blockdev", $"driver=raw,node-name=d1,file.driver=file,file.filename={second}",
            "-device", "virtio-blk-pci,drive=d1,id=disk1,bus=rp1,serial=slotted",
            "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-pci,netdev=n0,id=nic0,bus=rp2",
        ], Lifetime);
        QemuSession session = machine.Session;
        QmpClient qmp = machine.Qmp;
        bool InQemu(string id) => qmp.Execute("query-pci")!.ToJsonString().Contains($"\"{id}\"", StringComparison.Ordinal);

        Assert.Matches(@"\[pciehp\] watching slot 1 \([0-9a-f:.]+\), slot 2 \([0-9a-f:.]+\)", session.Serial);
        Assert.Matches(@"vdb +Block +virtio-blk", machine.Run("lsdev"));
        Assert.Matches(@"slot 1 \([0-9a-f:.]+\): bus 01, power on, card present\s+0000:01:00\.0 1af4:1042 .*  vdb", machine.Run("lsslot"));
        Assert.Contains(Sha256(data), machine.Run("sha256 /vdb/DATA.BIN"));
        machine.Run("write /vdb/NOTE.TXT written just before the unplug");

        // device_del: the attention button. The kernel unmounts, detaches, powers off; only then does QEMU let go.
        qmp.Execute("device_del", new JsonObject { ["id"] = "disk1" });
        machine.WaitUntil(() => !InQemu("disk1"), "QEMU removing disk1 (the guest powering its slot off)");
        string serial = session.Serial;
        Assert.Matches(@"\[pciehp\] slot 1 \([0-9a-f:.]+\): attention button: removing vdb", serial);
        Assert.Contains("[vfs] /vdb unmounted: vdb is being removed", serial);
        Assert.Contains("[virtio-blk] vdb: detached", serial);
        Assert.Matches(@"\[pciehp\] slot 1 \([0-9a-f:.]+\): powered off", serial);

        Assert.DoesNotMatch(@"vdb +Block", machine.Run("lsdev"));
        Assert.Matches(@"slot 1 \([0-9a-f:.]+\): bus 01, power off, empty\s+slot 2", machine.Run("lsslot"));
        Assert.DoesNotContain(Sha256(data), machine.Run("sha256 /vdb/DATA.BIN"));
        Assert.Contains("first disk", machine.Run("cat /vda/FIRST.TXT"));

        // What the kernel wrote before the unplug is on the image, and the volume is clean.
        FsckResult fsck = images.Check(volume);
        Assert.True(fsck.IsClean, fsck.Output);
        Assert.Equal("written just before the unplug\n", images.Run("mtype", "-i", volume.MtoolsDrive, "::/NOTE.TXT").Replace("\r", "", StringComparison.Ordinal));

        // The host changes the image while it is out; plugged in again, it is a new disk that reads the change.
        images.Copy(volume, "/LATER.TXT", Encoding.ASCII.GetBytes("written by the host while unplugged\n"));
        qmp.Execute("device_add", new JsonObject { ["driver"] = "virtio-blk-pci", ["drive"] = "d1", ["id"] = "disk1again", ["bus"] = "rp1", ["serial"] = "again" });
        machine.WaitUntil(() => session.Serial.Contains("[vfs] vdc mounted at /vdc", StringComparison.Ordinal), "the re-plugged disk being mounted");
        Assert.Matches(@"\[pciehp\] slot 1 \([0-9a-f:.]+\): card added: .*1af4:1042.*: bound to virtio \(vdc\)", session.Serial);
        Assert.Matches(@"vdc +Block +virtio-blk", machine.Run("lsdev"));
        Assert.Contains("written by the host while unplugged", machine.Run("cat /vdc/LATER.TXT"));
        Assert.Contains("written just before the unplug", machine.Run("cat /vdc/NOTE.TXT"));
        Assert.Contains(Sha256(data), machine.Run("sha256 /vdc/DATA.BIN"));
        machine.Run("write /vdc/BACK.TXT written after the replug");
        machine.Run("sync");

        // The network card goes the same way: the interface leaves the stack, then a new card is plugged into the
        // same netdev and gets its address by DHCP again.
        Assert.Matches(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));
        qmp.Execute("device_del", new JsonObject { ["id"] = "nic0" });
        machine.WaitUntil(() => !InQemu("nic0"), "QEMU removing nic0");
        Assert.Contains("[net] eth0: removed", session.Serial);
        Assert.Contains("[virtio-net] eth0: detached", session.Serial);
        Assert.DoesNotContain("eth0", machine.Run("ifconfig"));
        Assert.DoesNotMatch(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));
        qmp.Execute("device_add", new JsonObject { ["driver"] = "virtio-net-pci", ["netdev"] = "n0", ["id"] = "nic1", ["bus"] = "rp2" });
        machine.WaitUntil(() => Regex.IsMatch(session.Serial, @"\[net\] eth1: 10\.0\.2\.15/24"), "eth1 getting its address by DHCP");
        Assert.Matches(@"bytes from 10\.0\.2\.2", machine.Run("ping 10.0.2.2 -c 1"));
        Assert.Contains("first disk", machine.Run("cat /vda/FIRST.TXT"));

        Assert.DoesNotContain("PANIC", session.Serial);
        session.TypeLine("shutdown");
        session.WaitFor("Powering off.");
        Assert.Equal(0, session.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.True(images.Check(volume).IsClean);
        Assert.Equal("written after the replug\n", images.Run("mtype", "-i", volume.MtoolsDrive, "::/BACK.TXT").Replace("\r", "", StringComparison.Ordinal));
    }
}
