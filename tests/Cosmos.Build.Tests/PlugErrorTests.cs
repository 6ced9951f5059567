using System.IO;
using Cosmos.Build.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Build.Tests;

public sealed class PlugErrorTests
{
    private const string ClockSource = """
        namespace Target
        {
            public static class Clock { public static int Ticks(int scale) => scale; }
            public class Counter { public int Add(int x) => x; }
        }
        """;

    [Fact]
    public void MissingTargetTypeByName_IsAnErrorNamingTheTypeAndAssembly()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "[Plug(\"Target.Calendar, Target\")] public static class CalendarPlug { [PlugMember] public static int Day() => 1; }");

        Assert.Contains("error COSMOS002: plug CalendarPlug targets type Target.Calendar which does not exist in Target", run.Error);
    }

    [Fact]
    public void MissingTargetTypeByTypeof_IsAnErrorNamingTheType()
    {
        // The plug was built against a version of the class library that had the type.
        using var workspace = new PatchWorkspace();
        string oldTarget = workspace.CompileTarget("namespace Target { public static class Gone { public static int Value() => 1; } }");
        string plugs = workspace.CompilePlugs("[Plug(typeof(Target.Gone))] public static class GonePlug { [PlugMember] public static int Value() => 2; }", references: oldTarget);
        workspace.CompileTarget(ClockSource);

        CliRun run = workspace.Patch(plugs);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error COSMOS002: plug GonePlug targets type Target.Gone which does not exist in Target", run.Error);
    }

    [Fact]
    public void MissingMember_IsAnErrorInTheCanonicalFormat()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Tocks(int scale) => 1; }");

        Assert.Equal(
            "error COSMOS001: plug ClockPlug.Tocks targets Target.Clock::Tocks(System.Int32) which does not exist in Target",
            run.Error.Trim());
    }

    [Fact]
    public void SignatureMismatch_IsAnErrorListingWhatExists()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks(string scale) => 1; }");

        Assert.Contains("error COSMOS003: plug ClockPlug.Ticks targets Target.Clock::Ticks(System.String) which does not exist in Target", run.Error);
        Assert.Contains("Target.Clock has static Ticks(System.Int32)", run.Error);
    }

    [Fact]
    public void ReturnTypeMismatch_IsAnError()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static long Ticks(int scale) => 1; }");

        Assert.Contains("error COSMOS003:", run.Error);
    }

    [Fact]
    public void InstanceTargetWithoutAThis_IsASignatureMismatch()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "[Plug(typeof(Target.Counter))] public static class CounterPlug { [PlugMember] public static int Add(object self, int x) => x; }");

        Assert.Contains("error COSMOS003: plug CounterPlug.Add targets Target.Counter::Add(System.Object, System.Int32)", run.Error);
        Assert.Contains("has instance Add(System.Int32)", run.Error);
    }

    [Fact]
    public void LooseMatchOfSeveralOverloads_IsAmbiguous()
    {
        CliRun run = PatchExpectingFailure(
            "namespace Target { public static class Log { public static void Write(string s) { } public static void Write(int[] values) { } } }",
            "[Plug(typeof(Target.Log))] public static class LogPlug { [PlugMember] public static void Write(object o) { } }");

        Assert.Contains("error COSMOS004: plug LogPlug.Write targets Target.Log::Write(System.Object) which is ambiguous in Target", run.Error);
    }

    [Fact]
    public void TwoPlugsForOneMethod_IsAnError()
    {
        CliRun run = PatchExpectingFailure(
            ClockSource,
            """
            [Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks(int scale) => 1; }
            [Plug(typeof(Target.Clock))] public static class OtherClockPlug { [PlugMember] public static int Ticks(int scale) => 2; }
            """);

        Assert.Contains("error COSMOS006: plug OtherClockPlug.Ticks targets Target.Clock::Ticks(System.Int32), which plug ClockPlug.Ticks already replaces", run.Error);
    }

    [Fact]
    public void InstancePlugMethod_IsAnError()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "[Plug(typeof(Target.Clock))] public class ClockPlug { [PlugMember] public int Ticks(int scale) => 1; }");

        Assert.Contains("error COSMOS005: plug ClockPlug.Ticks must be a static, non-generic method", run.Error);
    }

    [Fact]
    public void AlreadyPatchedPlugAssembly_IsAnError()
    {
        using var workspace = new PatchWorkspace();
        string target = workspace.CompileTarget(ClockSource);
        string plugs = workspace.CompilePlugs("[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks(int scale) => 1; }", references: target);
        Assert.Equal(0, workspace.Patch(plugs).ExitCode);
        string patchedPlugs = System.IO.Path.Combine(workspace.OutputDirectory, "Plugs.dll");

        CliRun run = CliRun.Of("patch", "--plugs", patchedPlugs, "--targets", workspace.TargetDirectory, "--out", System.IO.Path.Combine(workspace.Root, "again"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error COSMOS005: plug ClockPlug.Ticks already has [RuntimeExport]", run.Error);
    }

    [Fact]
    public void PlugMemberOutsideAPlugClass_IsAnError()
    {
        CliRun run = PatchExpectingFailure(ClockSource, "public static class Forgotten { [PlugMember] public static int Ticks(int scale) => 1; }");

        Assert.Contains("error COSMOS005: Forgotten.Ticks has [PlugMember] but Forgotten has no [Plug] attribute", run.Error);
    }

    [Fact]
    public void GenericTargetType_IsAnError()
    {
        CliRun run = PatchExpectingFailure(
            "namespace Target { public class Box<T> { public int Size() => 1; } }",
            "[Plug(typeof(Target.Box<>))] public static class BoxPlug { [PlugMember] public static int Size(object aThis) => 2; }");

        Assert.Contains("error COSMOS005: plug BoxPlug targets generic type Target.Box`1", run.Error);
    }

    [Fact]
    public void TargetFoundOnlyAmongReferences_IsAnError()
    {
        using var workspace = new PatchWorkspace();
        string target = workspace.CompileTarget(ClockSource);
        string plugs = workspace.CompilePlugs("[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks(int scale) => 1; }", references: target);
        string emptyTargets = Directory.CreateDirectory(Path.Combine(workspace.Root, "empty")).FullName;

        CliRun run = CliRun.Of("patch", "--plugs", plugs, "--targets", emptyTargets, "--references", workspace.TargetDirectory, "--out", workspace.OutputDirectory);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error COSMOS007: plug ClockPlug targets type Target.Clock in Target, which is not among the --targets assemblies", run.Error);
    }

    [Fact]
    public void EveryErrorIsReported_AndNothingIsWritten()
    {
        using var workspace = new PatchWorkspace();
        string target = workspace.CompileTarget(ClockSource);
        string plugs = workspace.CompilePlugs(
            """
            [Plug(typeof(Target.Clock))]
            public static class ClockPlug
            {
                [PlugMember] public static int Ticks(int scale) => 1;
                [PlugMember] public static int Tocks(int scale) => 1;
                [PlugMember("Tacks")] public static int Tacks(int scale) => 1;
            }
            """,
            references: target);

        CliRun run = workspace.Patch(plugs);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Target.Clock::Tocks(System.Int32)", run.Error);
        Assert.Contains("Target.Clock::Tacks(System.Int32)", run.Error);
        Assert.Equal("", run.Output);
        Assert.False(Directory.Exists(workspace.OutputDirectory), "a failed patch must write nothing");
    }

    private static CliRun PatchExpectingFailure(string targetSource, string plugSource)
    {
        using var workspace = new PatchWorkspace();
        string target = workspace.CompileTarget(targetSource);
        string plugs = workspace.CompilePlugs(plugSource, references: target);
        CliRun run = workspace.Patch(plugs);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.False(Directory.Exists(workspace.OutputDirectory), "a failed patch must write nothing");
        return run;
    }
}
