using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>One test per check of the runtime test kernel (tests/Kernels/RuntimeTests).</summary>
public sealed class RuntimeChecks
{
    /// <summary>The checks the kernel planned: building and booting it happens here, once, at discovery.</summary>
    public static TheoryData<string> Checks
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in RuntimeTestsKernel.Checks.CaseNames())
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Check(string name) => RuntimeTestsKernel.Checks.AssertCheckPassed(name);

    [Fact]
    public void Run_ReportsEveryPlannedCheckAndExitsWithTheAllPassedCode() => RuntimeTestsKernel.Checks.AssertRanToCompletion();

    [Fact]
    public void Run_PlansAtLeastEightyChecks()
    {
        int? planned = RuntimeTestsKernel.Checks.Report.PlannedCount;
        Assert.True(planned >= 80, $"the runtime test kernel planned {planned?.ToString() ?? "no"} checks; it should have at least 80");
    }
}
