using System;
using Cosmos.Kernel.Tests.Infrastructure;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// tests/Kernels/RuntimeTests, built once and booted once per scenario per test run. The
/// kernel command line selects the scenario: none runs the checks (given the host's clock as
/// <c>hosttime=</c>), <c>test=unhandled</c> lets an exception escape the kernel, <c>test=fault</c>
/// writes through a wild pointer.
/// </summary>
internal static class RuntimeTestsKernel
{
    public const string Name = "RuntimeTests";

    private static readonly Lazy<TestKernelRun> ChecksRun = new(StartChecks);
    private static readonly Lazy<TestKernelRun> UnhandledRun = new(() => TestKernelRun.Start(Name, "test=unhandled"));
    private static readonly Lazy<TestKernelRun> FaultRun = new(() => TestKernelRun.Start(Name, "test=fault"));
    private static readonly Lazy<TestKernelRun> MissingExportRun = new(() => TestKernelRun.Start(Name, "test=missing"));
    private static readonly Lazy<TestKernelRun> RandomWithRdrandRun = new(() => TestKernelRun.Start(Name, "test=random"));
    private static readonly Lazy<TestKernelRun> RandomWithoutRdrandRun = new(() => TestKernelRun.Start(Name, "test=random", ["-cpu", "qemu64"]));
    private static readonly Lazy<TestKernelRun> StackOverflowRun = new(() => TestKernelRun.Start(Name, "test=stackoverflow", timeout: TimeSpan.FromSeconds(90)));
    private static readonly Lazy<TestKernelRun> WriteIntoCodeRun = new(() => TestKernelRun.Start(Name, "test=writecode"));
    private static readonly Lazy<TestKernelRun> ExecuteDataRun = new(() => TestKernelRun.Start(Name, "test=execdata"));

    public static TestKernelRun Checks => ChecksRun.Value;

    public static TestKernelRun Unhandled => UnhandledRun.Value;

    public static TestKernelRun Fault => FaultRun.Value;

    /// <summary>The boot with <c>test=missing</c>: a call to a runtime export nobody implements.</summary>
    public static TestKernelRun MissingExport => MissingExportRun.Value;

    /// <summary><c>test=random</c> on QEMU's -cpu max (RDRAND and RDSEED).</summary>
    public static TestKernelRun RandomWithRdrand => RandomWithRdrandRun.Value;

    /// <summary><c>test=random</c> on -cpu qemu64, which has neither instruction.</summary>
    public static TestKernelRun RandomWithoutRdrand => RandomWithoutRdrandRun.Value;

    /// <summary>The boot with <c>test=stackoverflow</c>: a thread recursing into its stack's guard page.</summary>
    public static TestKernelRun StackOverflow => StackOverflowRun.Value;

    /// <summary>The boot with <c>test=writecode</c>: a write into the kernel's own (read-only) code.</summary>
    public static TestKernelRun WriteIntoCode => WriteIntoCodeRun.Value;

    /// <summary>The boot with <c>test=execdata</c>: a call into a heap array (no-execute data).</summary>
    public static TestKernelRun ExecuteData => ExecuteDataRun.Value;

    /// <summary>
    /// The checks boot, told the host's clock (<c>hosttime=&lt;unix seconds&gt;</c>) for the wall-clock
    /// check. The build (shared, once per run) comes first so that the clock is read just before
    /// QEMU starts, not minutes earlier.
    /// </summary>
    private static TestKernelRun StartChecks()
    {
        KernelBuild.Get(Name);
        return TestKernelRun.Start(Name, $"hosttime={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
    }
}
