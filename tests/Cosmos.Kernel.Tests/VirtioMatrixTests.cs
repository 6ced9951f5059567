using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// Issue 3's QEMU matrix: the VirtioTests kernel booted under five machine configurations, each
/// stating which VirtIO devices must bind through which transport; one xunit test per check per
/// configuration. The disk image is made here: 2 MiB, sector 0 starting "COSMOS-MATRIX-01".
/// </summary>
public sealed class VirtioMatrixTests
{
    private const string Kernel = "VirtioTests";
    private const int DiskSectors = 4096;

    private static readonly Dictionary<string, (string Append, string[] Qemu)> Configurations = new()
    {
        ["pc-transitional"] = (
            "expect=blk:pci-modern,net:pci-modern,input:pci-modern,gpu:pci-modern blkirq=MsiX",
            ["-M", "pc", "-device", "virtio-blk-pci,drive=d0,serial=matrix-disk", "-netdev", "user,id=n0,restrict=on",
             "-device", "virtio-net-pci,netdev=n0", "-device", "virtio-keyboard-pci", "-device", "virtio-gpu-pci"]),
        ["q35-modern-only"] = (
            "expect=blk:pci-modern,net:pci-modern,input:pci-modern,gpu:pci-modern blkirq=MsiX",
            ["-M", "q35", "-device", "virtio-blk-pci,drive=d0,serial=matrix-disk,disable-legacy=on", "-netdev", "user,id=n0,restrict=on",
             "-device", "virtio-net-pci,netdev=n0,disable-legacy=on", "-device", "virtio-keyboard-pci", "-device", "virtio-gpu-pci"]),
        ["pc-legacy-only"] = (
            "expect=blk:pci-legacy,net:pci-legacy blkirq=MsiX",
            ["-M", "pc", "-device", "virtio-blk-pci,drive=d0,serial=matrix-disk,disable-modern=on", "-netdev", "user,id=n0,restrict=on",
             "-device", "virtio-net-pci,netdev=n0,disable-modern=on"]),
        ["microvm-mmio-v1"] = (
            "expect=blk:mmio_v1,net:mmio_v1,input:mmio_v1,gpu:mmio_v1 blkirq=Polled",
            ["-M", "microvm", "-global", "virtio-mmio.force-legacy=true", "-device", "virtio-blk-device,drive=d0,serial=matrix-disk",
             "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-device,netdev=n0", "-device", "virtio-keyboard-device", "-device", "virtio-gpu-device"]),
        ["microvm-mmio-v2"] = (
            "expect=blk:mmio_v2,net:mmio_v2,input:mmio_v2,gpu:mmio_v2 blkirq=Polled",
            ["-M", "microvm", "-global", "virtio-mmio.force-legacy=false", "-device", "virtio-blk-device,drive=d0,serial=matrix-disk",
             "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-device,netdev=n0", "-device", "virtio-keyboard-device", "-device", "virtio-gpu-device"]),
    };

    private static readonly Dictionary<string, Lazy<TestKernelRun>> Runs =
        Configurations.ToDictionary(c => c.Key, c => new Lazy<TestKernelRun>(() => Boot(c.Value.Append, c.Value.Qemu)));

    /// <summary>Every (configuration, check) the kernel planned; the kernel is built and booted at discovery.</summary>
    public static TheoryData<string, string> Checks
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach ((string configuration, Lazy<TestKernelRun> run) in Runs)
            {
                foreach (string name in run.Value.CaseNames())
                {
                    data.Add(configuration, name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Check(string configuration, string name) => Runs[configuration].Value.AssertCheckPassed(name);

    [Theory]
    [InlineData("pc-transitional")]
    [InlineData("q35-modern-only")]
    [InlineData("pc-legacy-only")]
    [InlineData("microvm-mmio-v1")]
    [InlineData("microvm-mmio-v2")]
    public void RanToCompletion(string configuration) => Runs[configuration].Value.AssertRanToCompletion();

    private static TestKernelRun Boot(string append, string[] qemu)
    {
        string image = Path.Combine(Path.GetTempPath(), $"cosmos-virtio-matrix-{Guid.NewGuid():N}.img");
        using (FileStream file = File.Create(image))
        {
            file.SetLength(DiskSectors * 512L);
            file.Write(Encoding.ASCII.GetBytes("COSMOS-MATRIX-01"));
        }

        try
        {
            var arguments = new List<string> { "-drive", $"file={image},if=none,id=d0,format=raw" };
            arguments.AddRange(qemu);
            return TestKernelRun.Start(Kernel, $"{append} sectors={DiskSectors}", arguments);
        }
        finally
        {
            File.Delete(image);
        }
    }
}
