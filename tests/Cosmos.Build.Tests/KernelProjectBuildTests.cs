using System;
using System.IO;
using Cosmos.Build.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Build.Tests;

/// <summary>
/// The MSBuild stages end to end, on a copy of the user kernel template built from a clean
/// directory outside the repository: outputs appear, a no-change rebuild skips every stage, and
/// a failing stage stops the build naming itself with the tool's message.
/// </summary>
public sealed class KernelProjectBuildTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cosmos-build-test-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory != null && !File.Exists(Path.Combine(directory, "CosmosKernel.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("CosmosKernel.sln not found above " + AppContext.BaseDirectory);
    }

    private string CopyTemplate()
    {
        string source = Path.Combine(RepositoryRoot(), "templates", "MyKernel");
        string target = Path.Combine(_directory, "MyKernel");
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    private static (int ExitCode, string Output) Build(string project, string extra = "") =>
        ProcessRunner.Run("dotnet", $"build -nologo -p:CosmosRoot={RepositoryRoot()} {extra}", project, BuildTimeout);

    [Fact]
    public void TemplateKernelBuildsAndANoChangeRebuildSkipsEveryStage()
    {
        string project = CopyTemplate();
        var (exitCode, output) = Build(project);
        Assert.True(exitCode == 0, output);
        string outputs = Path.Combine(project, "bin", "Debug", "cosmos");
        Assert.True(new FileInfo(Path.Combine(outputs, "kernel.elf")).Length > 100_000, "kernel.elf missing or tiny");
        Assert.True(new FileInfo(Path.Combine(outputs, "kernel.iso")).Length > 1_000_000, "kernel.iso missing or tiny");

        (exitCode, output) = Build(project, "-v:detailed");
        Assert.True(exitCode == 0, output);
        foreach (string stage in new[] { "CosmosPatch", "CosmosIlc", "CosmosAsm", "CosmosStubs", "CosmosLink", "CosmosIso" })
        {
            Assert.Contains($"Skipping target \"{stage}\" because all output files are up-to-date", output);
            Assert.DoesNotContain($"Building target \"{stage}\" completely", output);
        }
    }

    [Fact]
    public void PlugWithAMissingTargetStopsThePatchStage()
    {
        string project = CopyTemplate();
        File.WriteAllText(Path.Combine(project, "BadPlug.cs"), """
            using Cosmos.Core.Plugs;

            [Plug(typeof(System.Environment))]
            public static class BadPlug
            {
                [PlugMember]
                public static int NoSuchMethod() => 1;
            }
            """);
        var (exitCode, output) = Build(project);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error COSMOS001", output);
        Assert.Contains("NoSuchMethod", output);
        Assert.Contains("Cosmos stage 'patch' failed", output);
        Assert.False(File.Exists(Path.Combine(project, "bin", "Debug", "cosmos", "kernel.elf")), "no kernel after a failed stage");
    }

    [Fact]
    public void FailingCompilerStageNamesItselfAndShowsTheToolsMessage()
    {
        string project = CopyTemplate();
        string csproj = Path.Combine(project, "MyKernel.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace(
            "</Project>",
            "  <ItemGroup><CosmosIlcExtraArg Include=\"--no-such-ilc-option\" /></ItemGroup>\n</Project>"));
        var (exitCode, output) = Build(project);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("no-such-ilc-option", output);
        Assert.Contains("Cosmos stage 'ilc' failed", output);
    }
}
