using System.Collections.Generic;

namespace Cosmos.Kernel.Tests.Protocol;

/// <summary>One check as the kernel reported it.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Passed">True for #TEST-PASS, false for #TEST-FAIL.</param>
/// <param name="Message">The failure message (unescaped), or null for a pass.</param>
/// <param name="Line">The 1-based serial line that reported it.</param>
public sealed record KernelCheckResult(string Name, bool Passed, string? Message, int Line);

/// <summary>
/// Everything a test kernel reported in the line protocol (Cosmos.TestKit.TestProtocol), plus
/// what went wrong with the protocol itself. A report is complete when it has a plan, as many
/// results as planned, a DONE line whose counts match them, and no protocol errors.
/// </summary>
public sealed class KernelTestReport
{
    internal KernelTestReport(int? plannedCount, IReadOnlyList<KernelCheckResult> results, int? donePassed, int? doneFailed,
        IReadOnlyList<string> protocolErrors, int lastRecordLine, IReadOnlyList<string> lines)
    {
        PlannedCount = plannedCount;
        Results = results;
        DonePassed = donePassed;
        DoneFailed = doneFailed;
        ProtocolErrors = protocolErrors;
        LastRecordLine = lastRecordLine;
        Lines = lines;
    }

    /// <summary>The count of #TEST-PLAN, or null when no plan was reported.</summary>
    public int? PlannedCount { get; }

    /// <summary>Results in the order reported.</summary>
    public IReadOnlyList<KernelCheckResult> Results { get; }

    /// <summary>The counts of #TEST-DONE, or null when the run never finished.</summary>
    public int? DonePassed { get; }

    /// <summary>The failed count of #TEST-DONE.</summary>
    public int? DoneFailed { get; }

    /// <summary>True when a #TEST-DONE line was seen.</summary>
    public bool IsDone => DonePassed.HasValue;

    /// <summary>Malformed, duplicated or out-of-order protocol lines, each described with its line number.</summary>
    public IReadOnlyList<string> ProtocolErrors { get; }

    /// <summary>The 1-based line of the last well-formed protocol record (0 when there was none).</summary>
    public int LastRecordLine { get; }

    /// <summary>Every serial line, without line endings.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>True when the run reported everything it planned and said so consistently.</summary>
    public bool IsComplete =>
        PlannedCount.HasValue && IsDone && ProtocolErrors.Count == 0 && Results.Count == PlannedCount.Value
        && DonePassed == CountPassed() && DoneFailed == Results.Count - CountPassed();

    /// <summary>Number of results that passed.</summary>
    public int CountPassed()
    {
        int passed = 0;
        foreach (KernelCheckResult result in Results)
        {
            if (result.Passed)
            {
                passed++;
            }
        }

        return passed;
    }

    /// <summary>The result named <paramref name="name"/>, or null.</summary>
    public KernelCheckResult? Find(string name)
    {
        foreach (KernelCheckResult result in Results)
        {
            if (result.Name == name)
            {
                return result;
            }
        }

        return null;
    }

    /// <summary>The serial lines after the last protocol record: where a crash report would be.</summary>
    public string OutputAfterLastRecord()
    {
        var tail = new List<string>();
        for (int i = LastRecordLine; i < Lines.Count; i++)
        {
            tail.Add(Lines[i]);
        }

        return string.Join(System.Environment.NewLine, tail).Trim();
    }
}
