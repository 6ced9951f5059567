using System;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// One test per check of the threading test kernel (tests/Kernels/ThreadTests): threads, preemption,
/// locks and signals, tasks and timers, and collections while other threads are stopped mid-method;
/// 128 MiB of memory so that the allocating threads fill the heap quickly under TCG.
/// </summary>
public sealed class ThreadChecks
{
    private static readonly Lazy<TestKernelRun> Run = new(() =>
        TestKernelRun.Start("ThreadTests", qemuArguments: ["-m", "128"], timeout: TimeSpan.FromMinutes(5)));

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
    public void PlansAtLeastThirtyChecks()
    {
        int? planned = Run.Value.Report.PlannedCount;
        Assert.True(planned >= 30, $"the threading test kernel planned {planned?.ToString() ?? "no"} checks; it should have at least 30");
    }
}
