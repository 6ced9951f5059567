using System;
using System.IO;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// How CosmosKernel finds the 8042 on machines the VMware profile does not cover: q35 (whose FADT, revision 3 and
/// later, carries the "8042" boot flag the driver obeys) and a PC without one (<c>-M pc,i8042=off</c>: the status
/// port reads 0xFF), where nothing is found, the boot stays quiet and the shell works.
/// </summary>
public sealed class Ps2BootTests
{
    private const string Prompt = "cosmos> ";
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(150);

    private static QemuSession Boot(string description, string machine)
    {
        KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
        build.EnsureSucceeded();
        return QemuSession.Start(description, ["-kernel", build.KernelElf], Lifetime, ["-M", machine]);
    }

    private static string Run(QemuSession session, string command)
    {
        int from = session.Serial.Length;
        session.TypeLine(command);
        int start = session.WaitFor(command + "\n", from, TimeSpan.FromSeconds(60));
        int end = session.WaitFor(Prompt, start, TimeSpan.FromSeconds(60));
        return session.Serial[start..(end - Prompt.Length)];
    }

    [Fact]
    public void AMachineWithoutAn8042BootsQuietlyWithoutOne()
    {
        using QemuSession session = Boot("CosmosKernel without an i8042", "pc,i8042=off");
        session.WaitFor(Prompt);
        string lsdev = Run(session, "lsdev");
        Assert.DoesNotContain("ps2-kbd", lsdev);
        Assert.DoesNotContain("isa 0x60", lsdev); // not found, so neither bound nor listed as failing
        Assert.DoesNotContain("[ps2]", session.Serial, StringComparison.Ordinal);
        Assert.Equal("still here", Run(session, "echo still here").Trim());
    }

    [Fact]
    public void OnQ35TheFirmwareTablesAllowThe8042AndBothDevicesBind()
    {
        using QemuSession session = Boot("CosmosKernel on q35", "q35");
        session.WaitFor(Prompt);
        string lsdev = Run(session, "lsdev");
        Assert.Matches(@"kbd0\s+Input\s+ps2-kbd\s+Intx\s+i8042 port 1 io 0x60 irq 1 -> gsi 1 ", lsdev);
        Assert.Matches(@"mouse0\s+Input\s+ps2-mouse\s+Intx\s+i8042 port 2 io 0x60 irq 12 -> gsi 12 ", lsdev);
        Assert.DoesNotContain("not bound: isa", lsdev, StringComparison.Ordinal);
    }
}
