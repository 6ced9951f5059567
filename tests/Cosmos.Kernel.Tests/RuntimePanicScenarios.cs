using System;
using System.Text.RegularExpressions;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// The runtime test kernel's crash scenarios: what the panic report says and how QEMU exits
/// (Cosmos.Core.Runtime.Panic: unhandled exception 5, CPU fault 4; QEMU exits with code*2+1).
/// </summary>
public sealed class RuntimePanicScenarios
{
    private const int UnhandledExceptionExitStatus = (5 << 1) | 1;
    private const int CpuFaultExitStatus = (4 << 1) | 1;
    private const int PanicExitStatus = (3 << 1) | 1;

    [Fact]
    public void UnhandledException_ExitsWithTheUnhandledExceptionCode()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Unhandled);
        Assert.True(!run.TimedOut && run.ExitCode == UnhandledExceptionExitStatus,
            $"expected QEMU exit status {UnhandledExceptionExitStatus}. {run.Summary()}");
    }

    [Fact]
    public void UnhandledException_ReportNamesTypeAndMessage()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Unhandled);
        AssertContains(run, "PANIC: unhandled exception System.InvalidOperationException: unhandled on purpose (runtime test scenario)");
    }

    [Fact]
    public void UnhandledException_ReportListsTheThrowingMethodsInnermostFirst()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Unhandled);
        AssertInOrder(run,
            "at RuntimeTests.Scenarios.UnhandledExceptionScenario.InnermostFrame(Int32)",
            "at RuntimeTests.Scenarios.UnhandledExceptionScenario.MiddleFrame(Int32)",
            "at RuntimeTests.Scenarios.UnhandledExceptionScenario.OuterFrame(Int32)",
            "at RuntimeTests.Kernel.BeforeRun()");
    }

    [Fact]
    public void CpuFault_ExitsWithTheFaultCode()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Fault);
        Assert.True(!run.TimedOut && run.ExitCode == CpuFaultExitStatus, $"expected QEMU exit status {CpuFaultExitStatus}. {run.Summary()}");
    }

    [Fact]
    public void CpuFault_ReportNamesThePageFaultAndTheWildAddress()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Fault);
        // Error code 2: a write (bit 1) to a page that is not present (bit 0 clear), Intel SDM vol. 3 §4.7.
        AssertContains(run, "PANIC: CPU exception #PF page fault (vector 0x0e, error 0x0002)");
        AssertContains(run, "CR2=00000dead0000000");
    }

    [Fact]
    public void CpuFault_ReportShowsTheRegisters()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Fault);
        foreach (string register in new[] { "RIP", "RSP", "RFLAGS", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "CS" })
        {
            Assert.True(Regex.IsMatch(run.SerialText, $@"\b{register}=[0-9a-f]{{16}}\b"), $"expected a {register}=<16 hex digits> line. {run.Summary()}");
        }

        // The faulting store wrote the value 0x1234 (in a register) to the wild address (in another).
        AssertContains(run, "=0000000000001234");
        AssertContains(run, "=00000dead0000000");
    }

    [Fact]
    public void CpuFault_StackStartsAtTheFaultingMethod()
    {
        QemuRun run = Booted(RuntimeTestsKernel.Fault);
        Match rip = Regex.Match(run.SerialText, @"RIP=([0-9a-f]{16})");
        Assert.True(rip.Success, $"no RIP in the report. {run.Summary()}");
        // The first frame is the faulting instruction itself, in the method that wrote through the
        // pointer; every managed caller follows, unwound by CFI (frames without a frame pointer too).
        AssertInOrder(run,
            $"at RuntimeTests_RuntimeTests_Scenarios_CpuFaultScenario__WriteThroughWildPointer+0x0000 (0x{rip.Groups[1].Value})",
            "at RuntimeTests_RuntimeTests_Scenarios_CpuFaultScenario__CallerOfFaultingMethod+",
            "at RuntimeTests_RuntimeTests_Scenarios_CpuFaultScenario__Run+",
            "at RuntimeTests_RuntimeTests_Kernel__BeforeRun+",
            "at __cosmos_kernel_main+");
    }

    [Fact]
    public void MissingRuntimeExport_PanicsNamingItself()
    {
        QemuRun run = Booted(RuntimeTestsKernel.MissingExport);
        Assert.True(!run.TimedOut && run.ExitCode == PanicExitStatus, $"expected QEMU exit status {PanicExitStatus}. {run.Summary()}");
        AssertContains(run, "PANIC: missing runtime export __cosmos_test_export_nobody_implements");
        Assert.DoesNotContain("it should have panicked", run.SerialText);
        AssertInOrder(run, "Stack:", "at RuntimeTests_RuntimeTests_Scenarios_MissingExportScenario__Run+");
    }

    [Fact]
    public void StackOverflow_PanicsNamingTheThreadAtItsGuardPage()
    {
        QemuRun run = Booted(RuntimeTestsKernel.StackOverflow);
        Assert.True(!run.TimedOut && run.ExitCode == CpuFaultExitStatus, $"expected QEMU exit status {CpuFaultExitStatus}. {run.Summary()}");
        AssertContains(run, "PANIC: stack overflow in thread 'deep'");
        Match guard = Regex.Match(run.SerialText, @"guard page below its stack at 0x([0-9a-f]{16})");
        Match cr2 = Regex.Match(run.SerialText, @"CR2=([0-9a-f]{16})");
        Assert.True(guard.Success && cr2.Success, $"expected the guard page and CR2 in the report. {run.Summary()}");
        ulong guardPage = Convert.ToUInt64(guard.Groups[1].Value, 16);
        ulong faultAddress = Convert.ToUInt64(cr2.Groups[1].Value, 16);
        Assert.True(faultAddress - guardPage < 4096, $"CR2 0x{faultAddress:x} lies in the guard page 0x{guardPage:x}");
        Assert.DoesNotContain("it should have overflowed", run.SerialText);
    }

    [Fact]
    public void WriteIntoKernelCode_IsAProtectionFaultNamingTheCodePage()
    {
        QemuRun run = Booted(RuntimeTestsKernel.WriteIntoCode);
        Assert.True(!run.TimedOut && run.ExitCode == CpuFaultExitStatus, $"expected QEMU exit status {CpuFaultExitStatus}. {run.Summary()}");
        Match target = Regex.Match(run.SerialText, @"writing into kernel code at 0x([0-9a-f]{16})");
        Assert.True(target.Success, $"expected the scenario's target address. {run.Summary()}");
        // Error code 3: a write (bit 1) to a present page (bit 0), Intel SDM vol. 3 §4.7.
        AssertContains(run, "PANIC: CPU exception #PF page fault (vector 0x0e, error 0x0003)");
        AssertContains(run, $"write to a read-only page at 0x{target.Groups[1].Value} (kernel code)");
        AssertInOrder(run, "Stack:", "at RuntimeTests_RuntimeTests_Scenarios_PageRightsScenario__WriteIntoCode+", "at RuntimeTests_RuntimeTests_Kernel__BeforeRun+");
        Assert.DoesNotContain("the write into code went through", run.SerialText);
    }

    [Fact]
    public void CallIntoHeapData_IsAProtectionFaultAtTheData()
    {
        QemuRun run = Booted(RuntimeTestsKernel.ExecuteData);
        Assert.True(!run.TimedOut && run.ExitCode == CpuFaultExitStatus, $"expected QEMU exit status {CpuFaultExitStatus}. {run.Summary()}");
        Match target = Regex.Match(run.SerialText, @"calling into heap data at 0x([0-9a-f]{16})");
        Assert.True(target.Success, $"expected the scenario's target address. {run.Summary()}");
        // Error code 0x11: an instruction fetch (bit 4) from a present page (bit 0).
        AssertContains(run, "PANIC: CPU exception #PF page fault (vector 0x0e, error 0x0011)");
        AssertContains(run, $"instruction fetch from a no-execute page at 0x{target.Groups[1].Value} (outside the kernel image)");
        AssertContains(run, $"RIP={target.Groups[1].Value}");
        // The faulting address is no method: the trace names no symbol for it, then the caller.
        AssertInOrder(run, "Stack:", $"(0x{target.Groups[1].Value})", "at RuntimeTests_RuntimeTests_Kernel__BeforeRun+");
        Assert.DoesNotMatch(@"at \S+\+0x[0-9a-f]+ \(0x" + target.Groups[1].Value + @"\)", run.SerialText);
        Assert.DoesNotContain("the heap data ran as code", run.SerialText);
    }

    [Fact]
    public void SecureRandomComesFromRdrandWhereTheCpuHasIt()
    {
        QemuRun run = Booted(RuntimeTestsKernel.RandomWithRdrand);
        AssertContains(run, "[scenario] random source: RDRAND");
        Match bytes = Regex.Match(run.SerialText, @"random bytes: ([0-9A-F]{64})");
        Assert.True(bytes.Success, $"expected 32 random bytes. {run.Summary()}");
        Assert.NotEqual(new string('0', 64), bytes.Groups[1].Value);
    }

    [Fact]
    public void SecureRandomSaysWhyItFailsOnACpuWithoutRdrandOrRdseed()
    {
        QemuRun run = Booted(RuntimeTestsKernel.RandomWithoutRdrand);
        AssertContains(run, "[scenario] random source: none");
        AssertContains(run, "[random] the CPU has neither RDRAND nor RDSEED");
        AssertContains(run, "[scenario] random failed: CryptographicException: ");
        AssertContains(run, "no secure random source");
        Assert.DoesNotContain("random bytes:", run.SerialText);
    }

    private static QemuRun Booted(TestKernelRun kernel) =>
        kernel.Run ?? throw new Xunit.Sdk.XunitException(kernel.StartFailure ?? "the kernel was not booted");

    private static void AssertContains(QemuRun run, string expected) =>
        Assert.True(run.SerialText.Contains(expected, StringComparison.Ordinal), $"expected the serial output to contain \"{expected}\". {run.Summary()}");

    private static void AssertInOrder(QemuRun run, params string[] expected)
    {
        string text = run.SerialText;
        int position = -1;
        foreach (string item in expected)
        {
            int found = text.IndexOf(item, position + 1, StringComparison.Ordinal);
            Assert.True(found > position, $"expected \"{item}\" after the previous items in the serial output. {run.Summary(40)}");
            position = found;
        }
    }
}
