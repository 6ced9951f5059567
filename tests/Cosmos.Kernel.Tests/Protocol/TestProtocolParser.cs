using System;
using System.Collections.Generic;
using System.Globalization;
using Cosmos.TestKit;

namespace Cosmos.Kernel.Tests.Protocol;

/// <summary>
/// Reads a test kernel's serial output. Lines that do not start with the protocol prefix are
/// the kernel's own output and are kept but not interpreted; protocol lines that are malformed,
/// duplicated or out of order are recorded as protocol errors rather than dropped silently.
/// </summary>
public static class TestProtocolParser
{
    public static KernelTestReport Parse(string serialOutput)
    {
        ArgumentNullException.ThrowIfNull(serialOutput);
        string[] lines = serialOutput.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        int? plan = null;
        int? donePassed = null, doneFailed = null;
        var results = new List<KernelCheckResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        int lastRecord = 0;

        for (int index = 0; index < lines.Length; index++)
        {
            string line = lines[index];
            int lineNumber = index + 1;
            if (!line.StartsWith(TestProtocol.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (donePassed.HasValue)
            {
                errors.Add($"line {lineNumber}: protocol line after {TestProtocol.Done}: {line}");
                continue;
            }

            string keyword = FirstWord(line, out string rest);
            switch (keyword)
            {
                case TestProtocol.Plan:
                    if (plan.HasValue)
                    {
                        errors.Add($"line {lineNumber}: a second {TestProtocol.Plan}: {line}");
                    }
                    else if (results.Count > 0)
                    {
                        errors.Add($"line {lineNumber}: {TestProtocol.Plan} after results: {line}");
                    }
                    else if (TryParseCount(rest, out int count))
                    {
                        plan = count;
                        lastRecord = lineNumber;
                    }
                    else
                    {
                        errors.Add($"line {lineNumber}: {TestProtocol.Plan} needs one non-negative count: {line}");
                    }

                    break;

                case TestProtocol.Pass:
                case TestProtocol.Fail:
                    bool passed = keyword == TestProtocol.Pass;
                    string name = FirstWord(rest, out string message);
                    if (name.Length == 0 || (passed && message.Length > 0))
                    {
                        errors.Add($"line {lineNumber}: {keyword} needs {(passed ? "exactly a name" : "a name and a message")}: {line}");
                        break;
                    }

                    if (!plan.HasValue)
                    {
                        errors.Add($"line {lineNumber}: result before {TestProtocol.Plan}: {line}");
                    }

                    if (!seen.Add(name))
                    {
                        errors.Add($"line {lineNumber}: check '{name}' reported twice");
                        break;
                    }

                    results.Add(new KernelCheckResult(name, passed, passed ? null : TestProtocol.Unescape(message), lineNumber));
                    lastRecord = lineNumber;
                    break;

                case TestProtocol.Done:
                    string passedText = FirstWord(rest, out string failedText);
                    if (TryParseCount(passedText, out int passedCount) && TryParseCount(failedText, out int failedCount))
                    {
                        donePassed = passedCount;
                        doneFailed = failedCount;
                        lastRecord = lineNumber;
                    }
                    else
                    {
                        errors.Add($"line {lineNumber}: {TestProtocol.Done} needs two non-negative counts: {line}");
                    }

                    break;

                default:
                    errors.Add($"line {lineNumber}: unknown protocol line: {line}");
                    break;
            }
        }

        return new KernelTestReport(plan, results, donePassed, doneFailed, errors, lastRecord, lines);
    }

    // Splits off the first space-separated word; rest is what follows the single separating space.
    private static string FirstWord(string text, out string rest)
    {
        int space = text.IndexOf(' ');
        if (space < 0)
        {
            rest = "";
            return text;
        }

        rest = text.Substring(space + 1);
        return text.Substring(0, space);
    }

    private static bool TryParseCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count);
}
