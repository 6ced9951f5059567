using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Cosmos.Kernel.Tests.Protocol;
using Cosmos.TestKit;
using Xunit.Sdk;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// A test kernel booted once and its report parsed: the source of one xunit test per check.
/// Checks the kernel never reported (it crashed, hung or never built) still appear, as
/// placeholders that fail with the build log or the last serial output.
/// </summary>
public sealed class TestKernelRun
{
    /// <summary>Name of the case that stands for a run that reported no plan at all.</summary>
    public const string NoPlanCase = "(no-plan-reported)";

    // Placeholders for planned checks the kernel never reported: the first one is where it
    // stopped (crashed or hung), the rest never started.
    private const string UnfinishedPrefix = "(check-", UnfinishedSuffix = "-did-not-finish)", NeverRanSuffix = "-never-ran)";

    private readonly string _kernelName;
    private readonly string? _startFailure;
    private readonly QemuRun? _run;

    private TestKernelRun(string kernelName, string? startFailure, QemuRun? run)
    {
        _kernelName = kernelName;
        _startFailure = startFailure;
        _run = run;
        Report = TestProtocolParser.Parse(run?.Serial ?? "");
    }

    /// <summary>The parsed protocol (empty when the kernel could not be built or booted).</summary>
    public KernelTestReport Report { get; }

    /// <summary>The boot, or null when the kernel could not be built or booted.</summary>
    internal QemuRun? Run => _run;

    /// <summary>Why there is no boot (build failure, QEMU missing), or null.</summary>
    internal string? StartFailure => _startFailure;

    /// <summary>Builds (once per test run) and boots test kernel <paramref name="kernelName"/>.</summary>
    internal static TestKernelRun Start(string kernelName, string? commandLine = null, IEnumerable<string>? qemuArguments = null, TimeSpan? timeout = null)
    {
        if (!ProcessRunner.IsOnPath(Qemu.Executable))
        {
            return new TestKernelRun(kernelName, $"{Qemu.Executable} is not on PATH; install Debian's qemu-system-x86 package", null);
        }

        KernelBuildResult build = KernelBuild.Get(kernelName);
        return build.Succeeded
            ? new TestKernelRun(kernelName, null, Qemu.Boot(kernelName, build.KernelElf, commandLine, timeout, qemuArguments))
            : new TestKernelRun(kernelName, build.FailureDescription, null);
    }

    /// <summary>A run made from serial output already captured (for the parser's own tests).</summary>
    internal static TestKernelRun FromBoot(string kernelName, QemuRun run) => new TestKernelRun(kernelName, null, run);

    /// <summary>
    /// One case per check: the reported names in order, then a placeholder for each planned check
    /// that was never reported, or a single placeholder when there was no plan.
    /// </summary>
    public IReadOnlyList<string> CaseNames()
    {
        var names = new List<string>();
        foreach (KernelCheckResult result in Report.Results)
        {
            names.Add(result.Name);
        }

        if (!Report.PlannedCount.HasValue)
        {
            if (names.Count == 0)
            {
                names.Add(NoPlanCase);
            }

            return names;
        }

        for (int index = names.Count + 1; index <= Report.PlannedCount.Value; index++)
        {
            names.Add(UnreportedCaseName(index));
        }

        return names;
    }

    /// <summary>Passes when the kernel reported <paramref name="caseName"/> as passed; otherwise fails saying why.</summary>
    public void AssertCheckPassed(string caseName)
    {
        KernelCheckResult? result = Report.Find(caseName);
        if (result != null && result.Passed)
        {
            return;
        }

        if (result != null)
        {
            throw new XunitException($"{_kernelName} check {caseName} failed: {result.Message}");
        }

        throw new XunitException(DescribeMissing(caseName));
    }

    /// <summary>Fails unless the run ended cleanly: complete protocol and the all-passed exit code.</summary>
    public void AssertRanToCompletion()
    {
        var problems = new StringBuilder();
        if (_startFailure != null)
        {
            throw new XunitException(_startFailure);
        }

        foreach (string error in Report.ProtocolErrors)
        {
            problems.AppendLine(error);
        }

        if (!Report.PlannedCount.HasValue)
        {
            problems.AppendLine($"no {TestProtocol.Plan} line");
        }
        else if (Report.Results.Count != Report.PlannedCount.Value)
        {
            problems.AppendLine($"{TestProtocol.Plan} announced {Report.PlannedCount} checks, {Report.Results.Count} were reported");
        }

        if (!Report.IsDone)
        {
            problems.AppendLine($"no {TestProtocol.Done} line");
        }
        else if (Report.DonePassed != Report.CountPassed() || Report.DoneFailed != Report.Results.Count - Report.CountPassed())
        {
            problems.AppendLine($"{TestProtocol.Done} says {Report.DonePassed} passed and {Report.DoneFailed} failed; "
                + $"the results say {Report.CountPassed()} and {Report.Results.Count - Report.CountPassed()}");
        }

        int expectedExit = TestProtocol.QemuExitStatus(
            Report.IsDone && Report.DoneFailed == 0 ? TestProtocol.ExitCodeAllPassed : TestProtocol.ExitCodeSomeFailed);
        if (_run!.TimedOut || _run.ExitCode != expectedExit)
        {
            problems.AppendLine(_run.TimedOut
                ? "QEMU was killed after its timeout"
                : $"QEMU exited with status {_run.ExitCode}, expected {expectedExit}");
        }

        if (problems.Length > 0)
        {
            throw new XunitException($"{_kernelName} did not run to completion:{Environment.NewLine}{problems}{_run.Summary()}");
        }
    }

    private string UnreportedCaseName(int index)
    {
        string number = index.ToString(CultureInfo.InvariantCulture);
        return UnfinishedPrefix + number + (index == Report.Results.Count + 1 ? UnfinishedSuffix : NeverRanSuffix);
    }

    private string DescribeMissing(string caseName)
    {
        if (_startFailure != null)
        {
            return _startFailure;
        }

        string firstUnfinished = UnreportedCaseName(Report.Results.Count + 1);
        if (caseName.EndsWith(NeverRanSuffix, StringComparison.Ordinal))
        {
            return $"{_kernelName} never started this check: it stopped in the check before, reported as {firstUnfinished}.";
        }

        string what = caseName == NoPlanCase
            ? $"{_kernelName} reported no {TestProtocol.Plan}"
            : caseName == firstUnfinished
                ? $"{_kernelName} planned {Report.PlannedCount} checks and stopped in check {Report.Results.Count + 1}"
                    + (Report.Results.Count > 0 ? $", the one after {Report.Results[^1].Name}" : ", the first")
                : $"{_kernelName} never reported check {caseName}";
        string ending = _run!.TimedOut
            ? $"QEMU was killed after its timeout ({_run.Elapsed.TotalSeconds:F0} s)"
            : $"QEMU exited with status {_run.ExitCode} after {_run.Elapsed.TotalSeconds:F1} s";
        string output = Report.OutputAfterLastRecord();
        return $"{what}. {ending}. Output after the last protocol line:{Environment.NewLine}"
            + (output.Length == 0 ? "(none)" : ProcessRunner.Tail(output, 40));
    }
}
