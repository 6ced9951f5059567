using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>One test per check of the PCI test kernel (tests/Kernels/PciTests), under -M pc and -M q35.</summary>
public sealed class PciChecks
{
    /// <summary>The checks the kernel planned under -M pc (it is built and booted here, at discovery).</summary>
    public static TheoryData<string> PcChecks => CaseNames(PciTestsKernel.Pc);

    /// <summary>The checks the kernel planned under -M q35.</summary>
    public static TheoryData<string> Q35Checks => CaseNames(PciTestsKernel.Q35);

    [Theory]
    [MemberData(nameof(PcChecks))]
    public void Pc(string name) => PciTestsKernel.Pc.AssertCheckPassed(name);

    [Theory]
    [MemberData(nameof(Q35Checks))]
    public void Q35(string name) => PciTestsKernel.Q35.AssertCheckPassed(name);

    [Fact]
    public void Pc_ReportsEveryPlannedCheckAndExitsWithTheAllPassedCode() => PciTestsKernel.Pc.AssertRanToCompletion();

    [Fact]
    public void Q35_ReportsEveryPlannedCheckAndExitsWithTheAllPassedCode() => PciTestsKernel.Q35.AssertRanToCompletion();

    [Fact]
    public void Q35_ListsTheDevicesThroughEcam()
    {
        string serial = PciTestsKernel.Q35.Run?.SerialText ?? "";
        Assert.Contains("through ecam 0xb0000000", serial);
        Assert.Contains("1af4:1001 [010000] Mass storage controller / SCSI storage controller", serial);
    }

    private static TheoryData<string> CaseNames(TestKernelRun run)
    {
        var data = new TheoryData<string>();
        foreach (string name in run.CaseNames())
        {
            data.Add(name);
        }

        return data;
    }
}
