using System;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// One test per check of the collector test kernel (tests/Kernels/GcTests), booted once with 128 MiB of
/// memory (QEMU takes the last -m) so that allocating twenty heaps' worth stays quick under TCG.
/// </summary>
public sealed class GcChecks
{
    private static readonly Lazy<TestKernelRun> Run = new(() =>
        TestKernelRun.Start("GcTests", qemuArguments: ["-m", "128"], timeout: TimeSpan.FromMinutes(3)));

    /// <summary>The checks the kernel planned: building and booting it happens here, once, at discovery.</summary>
    public static TheoryData<string> Checks
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in Run.Value.CaseNames())
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Check(string name) => Run.Value.AssertCheckPassed(name);

    [Fact]
    public void ReportsEveryPlannedCheckAndExitsWithTheAllPassedCode() => Run.Value.AssertRanToCompletion();

    [Fact]
    public void PlansAtLeastFortyChecks()
    {
        int? planned = Run.Value.Report.PlannedCount;
        Assert.True(planned >= 40, $"the collector test kernel planned {planned?.ToString() ?? "no"} checks; it should have at least 40");
    }
}
