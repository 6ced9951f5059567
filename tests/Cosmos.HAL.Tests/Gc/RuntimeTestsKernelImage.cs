using System;
using System.Diagnostics;
using System.IO;

namespace Cosmos.HAL.Tests.Gc;

/// <summary>
/// tests/Kernels/RuntimeTests' kernel.elf, a real image with thousands of ILC-compiled methods.
/// Built with <c>dotnet build</c> when it is not there yet (as Cosmos.Kernel.Tests' KernelBuild
/// does), loaded once per test run.
/// </summary>
internal static class RuntimeTestsKernelImage
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<ElfImage> Image = new(Load);

    public static ElfImage Get() => Image.Value;

    private static ElfImage Load()
    {
        string root = RepositoryRoot();
        string project = Path.Combine(root, "tests", "Kernels", "RuntimeTests", "RuntimeTests.csproj");
        string elf = Path.Combine(root, "tests", "Kernels", "RuntimeTests", "bin", "Debug", "cosmos", "kernel.elf");
        if (!File.Exists(elf))
        {
            Build(project, root);
        }

        return ElfImage.Load(elf);
    }

    private static string RepositoryRoot()
    {
        for (string? directory = AppContext.BaseDirectory; directory != null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "CosmosKernel.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"no CosmosKernel.sln above {AppContext.BaseDirectory}");
    }

    private static void Build(string project, string root)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "build", project, "-c", "Debug", "--disable-build-servers", "-nologo", "-v:minimal" })
        {
            start.ArgumentList.Add(argument);
        }

        // A nested build must not talk to the MSBuild node that runs this test.
        foreach (string name in new[] { "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet build");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"building {project} took longer than {BuildTimeout.TotalMinutes:F0} minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"building {project} failed (exit {process.ExitCode}):{Environment.NewLine}{output.Result}{errors.Result}");
        }
    }
}
