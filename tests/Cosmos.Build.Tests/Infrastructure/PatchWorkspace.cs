using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Mono.Cecil;

namespace Cosmos.Build.Tests.Infrastructure;

/// <summary>
/// A temporary folder with a target assembly, a plug assembly, and the patcher's output;
/// deleted on dispose.
/// </summary>
internal sealed class PatchWorkspace : IDisposable
{
    private readonly List<ModuleDefinition> _openModules = new();

    public PatchWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "cosmos-build-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string TargetDirectory => Path.Combine(Root, "targets");

    public string PlugDirectory => Path.Combine(Root, "plugs");

    public string OutputDirectory => Path.Combine(Root, "out");

    /// <summary>Compiles the class-library side: an assembly named Target.</summary>
    public string CompileTarget(string source, string name = "Target") =>
        TestCompiler.Compile(name, TargetDirectory, source);

    /// <summary>Compiles a plug assembly against the plug attributes and the given targets.</summary>
    public string CompilePlugs(string source, string name = "Plugs", params string[] references) =>
        TestCompiler.Compile(
            name,
            PlugDirectory,
            ["using Cosmos.Core.Plugs;\n" + source],
            references.Select(r => MetadataReference.CreateFromFile(r)).Append(TestCompiler.PlugAttributes));

    /// <summary>Runs <c>cosmos patch --verbose</c> on the plug assembly and the target folder.</summary>
    public CliRun Patch(string plugAssembly) => CliRun.Of(
        "patch",
        "--plugs", plugAssembly,
        "--targets", TargetDirectory,
        "--references", TestCompiler.FrameworkReferenceDirectory,
        "--out", OutputDirectory,
        "--verbose");

    /// <summary>Compiles both sides and patches; fails the test if patching fails.</summary>
    public CliRun CompileAndPatch(string targetSource, string plugSource)
    {
        string target = CompileTarget(targetSource);
        string plugs = CompilePlugs(plugSource, references: target);
        CliRun run = Patch(plugs);
        Xunit.Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    public ModuleDefinition ReadOutput(string fileName)
    {
        ModuleDefinition module = ModuleDefinition.ReadModule(Path.Combine(OutputDirectory, fileName));
        _openModules.Add(module);
        return module;
    }

    public void Dispose()
    {
        foreach (ModuleDefinition module in _openModules)
        {
            module.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
    }
}
