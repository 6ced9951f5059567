using System.IO;
using Cosmos.Build.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Build.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void NoArguments_PrintsTheCommands()
    {
        CliRun run = CliRun.Of();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("patch", run.Output);
    }

    [Fact]
    public void HelpForACommand_PrintsItsOptions()
    {
        CliRun run = CliRun.Of("help", "patch");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--plugs", run.Output);
        Assert.Contains("--references", run.Output);
    }

    [Fact]
    public void UnknownCommand_IsAUsageError()
    {
        CliRun run = CliRun.Of("frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error COSMOS000: unknown command 'frobnicate'", run.Error);
    }

    [Theory]
    [InlineData(new[] { "patch", "--plugs", "p.dll", "--targets", "t" }, "--out needs exactly one folder")]
    [InlineData(new[] { "patch", "--targets", "t", "--out", "o" }, "--plugs needs at least one assembly")]
    [InlineData(new[] { "patch", "--plugs", "p.dll", "--targets", "t", "--out", "o", "--colour" }, "unknown option '--colour'")]
    [InlineData(new[] { "patch", "stray", "--plugs", "p.dll" }, "unexpected argument 'stray'")]
    public void PatchUsageErrors(string[] args, string problem)
    {
        CliRun run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error COSMOS000: cosmos patch: {problem}", run.Error);
    }

    [Fact]
    public void MissingPlugAssembly_IsAnError()
    {
        using var workspace = new PatchWorkspace();
        string missing = Path.Combine(workspace.Root, "nope.dll");

        CliRun run = CliRun.Of("patch", "--plugs", missing, "--targets", workspace.Root, "--out", workspace.OutputDirectory);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error COSMOS007: plug assembly '{missing}' does not exist", run.Error);
    }

    [Fact]
    public void OutputIntoAnInputFolder_IsRefused()
    {
        using var workspace = new PatchWorkspace();
        string target = workspace.CompileTarget("namespace Target { public static class Clock { public static int Ticks() => 1; } }");
        string plugs = workspace.CompilePlugs("[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks() => 7; }", references: target);

        CliRun run = CliRun.Of("patch", "--plugs", plugs, "--targets", workspace.TargetDirectory, "--out", workspace.TargetDirectory);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error COSMOS007: --out", run.Error);
    }

    [Fact]
    public void ArgumentsMayComeFromAResponseFile()
    {
        using var workspace = new PatchWorkspace();
        string target = workspace.CompileTarget("namespace Target { public static class Clock { public static int Ticks() => 1; } }");
        string plugs = workspace.CompilePlugs("[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks() => 7; }", references: target);
        string responseFile = Path.Combine(workspace.Root, "patch.rsp");
        File.WriteAllLines(responseFile, ["# plugs first", "--plugs", plugs, "", "--targets", workspace.TargetDirectory, "--out", workspace.OutputDirectory]);

        CliRun run = CliRun.Of("patch", "@" + responseFile, "--verbose");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ClockPlug.Ticks", run.Output);
        Assert.True(File.Exists(Path.Combine(workspace.OutputDirectory, "Target.dll")));
    }
}
