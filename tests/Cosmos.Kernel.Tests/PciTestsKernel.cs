using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.Kernel.Tests.Infrastructure;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// tests/Kernels/PciTests, built once and booted twice per test run: on QEMU's i440fx (<c>-M pc</c>,
/// PCI through port I/O) and on q35 (ECAM from the MCFG). Both get a transitional virtio-blk disk
/// (a small temporary image, serial "cosmos-pci-test") and an edu device behind a bridge
/// (a pci-bridge on pc, a PCIe root port on q35).
/// </summary>
internal static class PciTestsKernel
{
    public const string Name = "PciTests";

    private static readonly Lazy<TestKernelRun> PcRun = new(() => Boot("pc",
        ["-device", "pci-bridge,id=br1,chassis_nr=1", "-device", "edu,bus=br1,addr=0x3"]));

    private static readonly Lazy<TestKernelRun> Q35Run = new(() => Boot("q35",
        ["-device", "pcie-root-port,id=rp1,chassis=1,slot=1", "-device", "edu,bus=rp1"]));

    /// <summary>The boot under <c>-M pc</c>.</summary>
    public static TestKernelRun Pc => PcRun.Value;

    /// <summary>The boot under <c>-M q35</c>.</summary>
    public static TestKernelRun Q35 => Q35Run.Value;

    private static TestKernelRun Boot(string machine, IEnumerable<string> bridgeAndEdu)
    {
        string image = Path.Combine(Path.GetTempPath(), $"cosmos-pci-{machine}-{Environment.ProcessId}.img");
        using (FileStream file = File.Create(image))
        {
            file.SetLength(1 << 20);
        }

        try
        {
            var arguments = new List<string>
            {
                "-M", machine,
                "-drive", $"file={image},if=none,id=d0,format=raw",
                "-device", "virtio-blk-pci,drive=d0,serial=cosmos-pci-test",
            };
            arguments.AddRange(bridgeAndEdu);
            return TestKernelRun.Start(Name, "machine=" + machine, arguments);
        }
        finally
        {
            File.Delete(image);
        }
    }
}
