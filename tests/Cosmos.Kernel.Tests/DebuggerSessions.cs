using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// Scripted gdb sessions (batch mode, the project's gdb script) against the debugger test kernel
/// (tests/Kernels/DebugTests, built unoptimised like `./cosmos debug`): once through QEMU's gdbstub and once
/// through the kernel's own GDB stub on COM2 (a QEMU serial socket on 127.0.0.1). Each breaks on a C# method
/// by its C# name, checks the backtrace's C# file and line, prints an int, a long, a bool, a string, an
/// array, a List, a Dictionary and an object and checks their values, steps, and detaches; the kernel must
/// then run to its end and print the result the values give.
/// </summary>
public sealed class DebuggerSessions
{
    private const string Kernel = "DebugTests";
    private const string ExpectedResult = "DEBUG-RESULT 282";       // Target.Inspect(42, "cosmos")
    private static readonly TimeSpan SessionLimit = TimeSpan.FromMinutes(4);

    private static readonly Lazy<KernelBuildResult> Build = new(() => KernelBuild.Get(Kernel));

    private static string GdbScript => Path.Combine(RepositoryPaths.Root, "Cosmos", "Cosmos.Build", "gdb", "cosmos.py");

    // The checks both sessions make once stopped on line 34 of Target.cs (after every local is assigned).
    private static readonly string[] InspectValues =
    [
        "print count", "print total", "print flag", "print text", "print numbers", "print names", "print ages", "print planet",
    ];

    [Fact]
    public void ThroughQemusGdbstub()
    {
        KernelBuildResult build = Build.Value;
        build.EnsureSucceeded();
        int port = FreePort();
        using var qemu = QemuSession.Start("DebugTests under QEMU's gdbstub", ["-kernel", build.KernelElf], SessionLimit,
            ["-S", "-gdb", $"tcp:127.0.0.1:{port}"]);
        List<string> commands =
        [
            $"target remote 127.0.0.1:{port}",
            "cs-start",
            "cs-break DebugTests.Target.Inspect",
            "continue",
            "cs-bt 3",
            "break Target.cs:34",
            "continue",
            .. InspectValues,
            "next",
        ];
        string output = RunGdb(build.KernelElf, commands, "detach");

        AssertStoppedInInspect(output);
        AssertValues(output);
        Assert.Matches(@"\n35\s+if \(flag\)", output);               // `next` went to the following line
        qemu.WaitFor(ExpectedResult);
        Assert.Equal(33, qemu.WaitForExit(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void ThroughTheKernelsStubOnCom2()
    {
        using var qemu = StartWithStub("debug-break", out KernelBuildResult build, out int port);
        List<string> commands =
        [
            "set remotetimeout 30",
            $"target remote 127.0.0.1:{port}",
            "cs-bt 6",
            "cs-break DebugTests.Target.Inspect",
            "continue",
            "cs-bt 3",
            "break Target.cs:34",
            "continue",
            .. InspectValues,
            "step",
            "step",
            "cs-bt 2",
            "delete",
        ];
        string output = RunGdb(build.KernelElf, commands, "detach");

        // Debugger.Break stopped the kernel in the stub's breakpoint helper, called from the kernel's BeforeRun.
        Assert.Matches(@"#0\s+cosmos_breakpoint\(\)", output);
        Assert.Matches(@"#\d+\s+System\.Diagnostics\.Debugger\.Break\(\)[^\n]*\n#\d+\s+DebugTests\.Kernel\.BeforeRun\(\) at \S*Kernel\.cs:\d+", output);
        AssertStoppedInInspect(output);
        AssertValues(output);
        // Two steps from line 34: into List.Count's getter or onward in Inspect; either way a C# frame with a line.
        Assert.Matches(@"#0\s+.+\(.*\) at \S+\.cs:\d+", output[output.LastIndexOf("Planet = {", StringComparison.Ordinal)..]);
        qemu.WaitFor(ExpectedResult);
        Assert.Contains("DEBUG-RESUMED", qemu.Serial, StringComparison.Ordinal);
        Assert.Equal(33, qemu.WaitForExit(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void AttachingToTheRunningKernelsStubStopsIt()
    {
        using var qemu = StartWithStub("debug-wait", out KernelBuildResult build, out int port);
        List<string> commands =
        [
            "set remotetimeout 30",
            $"target remote 127.0.0.1:{port}",
            "info registers rip",
            "cs-break DebugTests.Target.Inspect",
            "continue",
            "cs-bt 2",
            "print name",
        ];
        string output = RunGdb(build.KernelElf, commands, "detach");

        Assert.Matches(@"rip\s+0x[0-9a-f]+", output);                    // stopped somewhere, registers readable
        AssertStoppedInInspect(output);
        Assert.Matches(@"\$\d+ = ""cosmos""\n", output);
        qemu.WaitFor(ExpectedResult);
        Assert.Contains("DEBUG-ATTACHED", qemu.Serial, StringComparison.Ordinal);   // IsAttached turned true
        Assert.Equal(33, qemu.WaitForExit(TimeSpan.FromMinutes(1)));
    }

    // The kernel with its stub on COM2, a QEMU socket server on 127.0.0.1, booted up to DEBUG-READY.
    private static QemuSession StartWithStub(string scenario, out KernelBuildResult build, out int port)
    {
        build = Build.Value;
        build.EnsureSucceeded();
        port = FreePort();
        QemuSession qemu = QemuSession.Start($"DebugTests with its GDB stub on COM2 ({scenario})",
            ["-kernel", build.KernelElf, "-append", "gdb=com2 " + scenario], SessionLimit, ["-serial", $"tcp:127.0.0.1:{port},server=on,wait=off"]);
        try
        {
            qemu.WaitFor("[gdb] stub listening on COM2");
            qemu.WaitFor("DEBUG-READY");
            return qemu;
        }
        catch
        {
            qemu.Dispose();
            throw;
        }
    }

    private static void AssertStoppedInInspect(string output)
    {
        Assert.Matches(@"Breakpoint \d+, DebugTests_DebugTests_Target__Inspect \(count=42, name=""cosmos""\) at \S*Target\.cs:25", output);
        Assert.Matches(@"#0\s+DebugTests\.Target\.Inspect\(count: 42, name: ""cosmos""\) at \S*Target\.cs:25", output);
        Assert.Matches(@"#1\s+DebugTests\.Kernel\.BeforeRun\(\) at \S*Kernel\.cs:\d+", output);
    }

    private static void AssertValues(string output)
    {
        Assert.Matches(@"\$\d+ = 42\n", output);
        Assert.Matches(@"\$\d+ = 1234567890123\n", output);
        Assert.Matches(@"\$\d+ = true\n", output);
        Assert.Matches(@"\$\d+ = ""hello cosmos""\n", output);
        Assert.Matches(@"\$\d+ = Int32\[5\] = \{3, 1, 4, 1, 5\}\n", output);
        Assert.Matches(@"\$\d+ = System\.Collections\.Generic\.List<String> Count=3 = \{""alpha"", ""beta"", ""gamma""\}\n", output);
        Assert.Matches(@"\$\d+ = System\.Collections\.Generic\.Dictionary<String, Int32> Count=2 = \{\[""ada""\] = 36, \[""alan""\] = 41\}\n", output);
        Assert.Matches(@"\$\d+ = DebugTests\.Planet = \{Name = ""jupiter"", Moons = 95\}\n", output);
    }

    // gdb in batch mode: the project script, the commands, then the last one (which leaves the kernel running).
    private static string RunGdb(string kernelElf, IEnumerable<string> commands, string last)
    {
        var arguments = new List<string> { "-nx", "-batch", "-x", GdbScript };
        foreach (string command in commands)
        {
            arguments.Add("-ex");
            arguments.Add(command);
        }

        arguments.Add("-ex");
        arguments.Add(last);
        arguments.Add(kernelElf);
        ProcessResult result = ProcessRunner.Run("gdb", arguments, Path.GetDirectoryName(kernelElf)!, TimeSpan.FromMinutes(3));
        string output = (result.StandardOutput + result.StandardError).Replace("\r", "", StringComparison.Ordinal);
        Assert.False(result.TimedOut, "gdb did not finish its session in 3 minutes:\n" + output);
        Assert.Contains("detached", output, StringComparison.Ordinal);
        return output;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
