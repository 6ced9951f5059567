using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>The outcome of building one test kernel: kernel.elf, or the build's own account of why not.</summary>
internal sealed record KernelBuildResult(string Project, string KernelElf, bool Succeeded, string Log, TimeSpan Elapsed)
{
    /// <summary>Why there is no kernel: the tail of the build log.</summary>
    public string FailureDescription =>
        $"building {Project} failed after {Elapsed.TotalSeconds:F0} s; last lines of the build:{Environment.NewLine}{ProcessRunner.Tail(Log, 40)}";

    /// <summary>Throws with <see cref="FailureDescription"/> unless the build produced kernel.elf.</summary>
    public void EnsureSucceeded()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(FailureDescription);
        }
    }
}

/// <summary>
/// Builds a kernel project with <c>dotnet build</c>, once per test run: the first caller builds,
/// every later caller gets the same result (a kernel build takes tens of seconds).
/// </summary>
internal static class KernelBuild
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<string, Lazy<KernelBuildResult>> Builds = new(StringComparer.Ordinal);

    /// <summary>The test kernel in tests/Kernels/<paramref name="kernelName"/>.</summary>
    public static KernelBuildResult Get(string kernelName) => GetProject(RepositoryPaths.TestKernelProject(kernelName));

    /// <summary>Any kernel project (one that imports Cosmos.Build.targets), by its project file.</summary>
    public static KernelBuildResult GetProject(string projectPath) =>
        Builds.GetOrAdd(Path.GetFullPath(projectPath), path => new Lazy<KernelBuildResult>(() => Build(path))).Value;

    private static KernelBuildResult Build(string project)
    {
        string projectDirectory = Path.GetDirectoryName(project)!;
        string kernelElf = Path.Combine(projectDirectory, "bin", "Debug", "cosmos", "kernel.elf");
        if (!File.Exists(project))
        {
            return new KernelBuildResult(project, kernelElf, false, $"{project} does not exist", TimeSpan.Zero);
        }

        // The test host runs inside MSBuild's VSTest task and inherits variables that point a
        // nested build at that MSBuild instance; the kernel build must stand on its own. Build
        // servers are off so that no compiler server outlives the build holding its output pipe.
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in Environment.GetEnvironmentVariables().Keys)
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        ProcessResult result = ProcessRunner.Run(
            "dotnet",
            ["build", project, "-c", "Debug", "--disable-build-servers", "-nologo", "-v:minimal", "-clp:NoSummary;ErrorsOnly"],
            RepositoryPaths.Root,
            BuildTimeout,
            environment);
        string log = result.StandardOutput + result.StandardError;
        if (result.TimedOut)
        {
            log += $"{Environment.NewLine}(the build was killed after {BuildTimeout.TotalMinutes:F0} minutes)";
        }

        bool succeeded = !result.TimedOut && result.ExitCode == 0 && File.Exists(kernelElf);
        return new KernelBuildResult(project, kernelElf, succeeded, log, result.Elapsed);
    }
}
