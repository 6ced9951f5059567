using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Cosmos.Build.Tests.Infrastructure;

/// <summary>
/// The NativeAOT class library and ILC this project pins (DESIGN.md §1), which this test
/// project's PackageDownload items bring into the NuGet cache.
/// </summary>
internal static class NativeAotPack
{
    public const string Version = "10.0.12";

    public static string PackageRoot
    {
        get
        {
            string? root = typeof(NativeAotPack).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            }

            return root;
        }
    }

    private static string RuntimeDirectory =>
        Path.Combine(PackageRoot, "microsoft.netcore.app.runtime.nativeaot.linux-x64", Version, "runtimes", "linux-x64");

    /// <summary>System.Private.CoreLib and the other System.Private.* assemblies.</summary>
    public static string NativeDirectory => Existing(Path.Combine(RuntimeDirectory, "native"));

    /// <summary>System.Runtime (a facade over CoreLib), System.Console, … .</summary>
    public static string LibraryDirectory => Existing(Path.Combine(RuntimeDirectory, "lib", "net10.0"));

    public static string Ilc => Existing(Path.Combine(PackageRoot, "runtime.linux-x64.microsoft.dotnet.ilcompiler", Version, "tools", "ilc"));

    private static string Existing(string path) =>
        Directory.Exists(path) || File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing; restore tests/Cosmos.Build.Tests (its PackageDownload items fetch the {Version} packs)");
}
