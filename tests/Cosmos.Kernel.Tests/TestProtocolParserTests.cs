using System;
using Cosmos.Kernel.Tests.Infrastructure;
using Cosmos.Kernel.Tests.Protocol;
using Cosmos.TestKit;
using Xunit;
using Xunit.Sdk;

namespace Cosmos.Kernel.Tests;

/// <summary>The host side of the line protocol, on serial output written by hand (no QEMU).</summary>
public sealed class TestProtocolParserTests
{
    private const string CompleteRun =
        "Cosmos booting\r\n#TEST-PLAN 3\r\n#TEST-PASS alloc.one\r\nsome kernel output\r\n"
        + "#TEST-FAIL math.two expected 2, got 3\r\n#TEST-PASS span.three\r\n#TEST-DONE 2 1\r\n";

    [Fact]
    public void CompleteRun_IsParsedInOrder()
    {
        KernelTestReport report = TestProtocolParser.Parse(CompleteRun);

        Assert.Equal(3, report.PlannedCount);
        Assert.Equal(new[] { "alloc.one", "math.two", "span.three" }, Array.ConvertAll(ToArray(report), r => r.Name));
        Assert.True(report.Results[0].Passed);
        Assert.False(report.Results[1].Passed);
        Assert.Equal("expected 2, got 3", report.Results[1].Message);
        Assert.Equal(2, report.DonePassed);
        Assert.Equal(1, report.DoneFailed);
        Assert.Empty(report.ProtocolErrors);
        Assert.True(report.IsComplete);
    }

    [Fact]
    public void FailureMessage_IsUnescaped()
    {
        KernelTestReport report = TestProtocolParser.Parse("#TEST-PLAN 1\n#TEST-FAIL x expected \"a\\u000ab\" at C:\\\\dir, got \\u03c9\n#TEST-DONE 0 1\n");

        Assert.Equal("expected \"a\nb\" at C:\\dir, got \u03c9", report.Results[0].Message);
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("line one\nline two\r\n")]
    [InlineData("back\\slash \\u0041 stays literal")]
    [InlineData("\u00e9\u03a9\U0001F600 and \t tabs")]
    [InlineData("")]
    public void Escape_RoundTripsAndStaysOnOneAsciiLine(string message)
    {
        string escaped = TestProtocol.Escape(message);

        Assert.DoesNotContain('\n', escaped);
        Assert.DoesNotContain('\r', escaped);
        Assert.All(escaped, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(message, TestProtocol.Unescape(escaped));
    }

    [Theory]
    [InlineData("alloc.new-object", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\there", false)]
    [InlineData("caf\u00e9", false)]
    public void CheckNames_MustBePrintableAsciiWithoutSpaces(string name, bool valid) =>
        Assert.Equal(valid, TestProtocol.IsValidName(name));

    [Fact]
    public void ExitCodes_AreDistinctFromEachOtherAndFromThePanicCodes()
    {
        int passed = TestProtocol.QemuExitStatus(TestProtocol.ExitCodeAllPassed);
        int failed = TestProtocol.QemuExitStatus(TestProtocol.ExitCodeSomeFailed);

        Assert.Equal(33, passed);
        Assert.Equal(35, failed);
        Assert.DoesNotContain(passed, new[] { 7, 9, 11, failed });
    }

    [Fact]
    public void RunWithoutDone_IsIncomplete()
    {
        KernelTestReport report = TestProtocolParser.Parse("#TEST-PLAN 2\n#TEST-PASS a\nPANIC: CPU exception #PF page fault\n");

        Assert.False(report.IsDone);
        Assert.False(report.IsComplete);
        Assert.Equal("PANIC: CPU exception #PF page fault", report.OutputAfterLastRecord());
    }

    [Theory]
    [InlineData("#TEST-PLAN 1\n#TEST-PASS a\n#TEST-PASS a\n#TEST-DONE 2 0\n", "reported twice")]
    [InlineData("#TEST-PASS a\n#TEST-PLAN 1\n", "before #TEST-PLAN")]
    [InlineData("#TEST-PLAN many\n", "needs one non-negative count")]
    [InlineData("#TEST-PLAN -1\n", "needs one non-negative count")]
    [InlineData("#TEST-PLAN 1\n#TEST-PLAN 1\n", "a second #TEST-PLAN")]
    [InlineData("#TEST-PLAN 1\n#TEST-PASS a extra words\n", "exactly a name")]
    [InlineData("#TEST-PLAN 1\n#TEST-FAIL\n", "a name and a message")]
    [InlineData("#TEST-PLAN 0\n#TEST-DONE 0\n", "two non-negative counts")]
    [InlineData("#TEST-PLAN 0\n#TEST-DONE 0 0\n#TEST-PASS late\n", "after #TEST-DONE")]
    [InlineData("#TEST-SKIP a\n", "unknown protocol line")]
    public void MalformedOrOutOfOrderLines_AreProtocolErrors(string serial, string expectedError)
    {
        KernelTestReport report = TestProtocolParser.Parse(serial);

        Assert.Contains(report.ProtocolErrors, e => e.Contains(expectedError, StringComparison.Ordinal));
        Assert.False(report.IsComplete);
    }

    [Fact]
    public void DoneCountsThatDisagreeWithTheResults_AreIncomplete()
    {
        KernelTestReport report = TestProtocolParser.Parse("#TEST-PLAN 2\n#TEST-PASS a\n#TEST-FAIL b boom\n#TEST-DONE 2 0\n");

        Assert.Empty(report.ProtocolErrors);
        Assert.False(report.IsComplete);
    }

    [Fact]
    public void CrashedRun_HasOneCasePerPlannedCheck_AndUnreportedOnesFailWithThePanicText()
    {
        TestKernelRun run = Crashed("#TEST-PLAN 3\n#TEST-PASS first\n\nPANIC: CPU exception #GP general protection\n  RIP=0000000000101234\n");

        Assert.Equal(new[] { "first", "(check-2-did-not-finish)", "(check-3-never-ran)" }, run.CaseNames());
        run.AssertCheckPassed("first");
        XunitException crashed = Assert.Throws<XunitException>(() => run.AssertCheckPassed("(check-2-did-not-finish)"));
        Assert.Contains("stopped in check 2, the one after first", crashed.Message);
        Assert.Contains("QEMU exited with status 9", crashed.Message);
        Assert.Contains("PANIC: CPU exception #GP general protection", crashed.Message);
        Assert.Contains("RIP=0000000000101234", crashed.Message);
        XunitException neverRan = Assert.Throws<XunitException>(() => run.AssertCheckPassed("(check-3-never-ran)"));
        Assert.Contains("(check-2-did-not-finish)", neverRan.Message);
        Assert.Throws<XunitException>(run.AssertRanToCompletion);
    }

    [Fact]
    public void RunWithoutAPlan_HasOnePlaceholderCaseThatFails()
    {
        TestKernelRun run = Crashed("PANIC: missing runtime export RhFoo\n");

        Assert.Equal(new[] { TestKernelRun.NoPlanCase }, run.CaseNames());
        XunitException failure = Assert.Throws<XunitException>(() => run.AssertCheckPassed(TestKernelRun.NoPlanCase));
        Assert.Contains("reported no #TEST-PLAN", failure.Message);
        Assert.Contains("PANIC: missing runtime export RhFoo", failure.Message);
    }

    [Fact]
    public void FailedCheck_FailsWithTheKernelsMessage()
    {
        TestKernelRun run = TestKernelRun.FromBoot("K", new QemuRun("K", 35, false, CompleteRun, "", TimeSpan.FromSeconds(1)));

        XunitException failure = Assert.Throws<XunitException>(() => run.AssertCheckPassed("math.two"));
        Assert.Equal("K check math.two failed: expected 2, got 3", failure.Message);
        run.AssertRanToCompletion();
    }

    [Fact]
    public void CompleteRunWithTheWrongExitCode_DidNotRunToCompletion()
    {
        TestKernelRun run = TestKernelRun.FromBoot("K", new QemuRun("K", 33, false, CompleteRun, "", TimeSpan.FromSeconds(1)));

        XunitException failure = Assert.Throws<XunitException>(run.AssertRanToCompletion);
        Assert.Contains("QEMU exited with status 33, expected 35", failure.Message);
    }

    private static TestKernelRun Crashed(string serial) =>
        TestKernelRun.FromBoot("K", new QemuRun("K", 9, false, serial, "", TimeSpan.FromSeconds(1)));

    private static KernelCheckResult[] ToArray(KernelTestReport report)
    {
        var results = new KernelCheckResult[report.Results.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = report.Results[i];
        }

        return results;
    }
}
