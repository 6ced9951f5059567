using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>Where the repository and its test kernels are, as recorded when this project was built.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            string? root = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "CosmosRoot")?.Value;
            if (string.IsNullOrEmpty(root) || !File.Exists(Path.Combine(root, "CosmosKernel.sln")))
            {
                throw new InvalidOperationException($"the repository root recorded at build time ('{root}') has no CosmosKernel.sln");
            }

            return Path.GetFullPath(root);
        }
    }

    /// <summary>The project file of the test kernel in tests/Kernels/<paramref name="name"/>.</summary>
    public static string TestKernelProject(string name) => Path.Combine(Root, "tests", "Kernels", name, name + ".csproj");
}
