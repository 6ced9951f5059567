using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Cosmos.Build.Tests.Infrastructure;

/// <summary>Compiles test sources with Roslyn against the SDK's reference assemblies, as a real build would.</summary>
internal static class TestCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_frameworkReferences = new(LoadFrameworkReferences);
    private static readonly Lazy<MetadataReference> s_plugAttributes = new(CompilePlugAttributes);

    /// <summary>
    /// An in-memory Cosmos.Core holding only the shipped <c>Cosmos.Core.Plugs</c> attributes; the
    /// patcher recognises them by name, so it never needs the file.
    /// </summary>
    public static MetadataReference PlugAttributes => s_plugAttributes.Value;

    /// <summary>Compiles <paramref name="sources"/> into <c>directory/name.dll</c> (with a portable PDB).</summary>
    public static string Compile(string name, string directory, IEnumerable<string> sources, IEnumerable<MetadataReference> references)
    {
        Directory.CreateDirectory(directory);
        CSharpCompilation compilation = Create(name, sources, references);

        string path = Path.Combine(directory, name + ".dll");
        using (FileStream peStream = File.Create(path))
        using (FileStream pdbStream = File.Create(Path.ChangeExtension(path, ".pdb")))
        {
            EmitResult result = compilation.Emit(peStream, pdbStream, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            if (!result.Success)
            {
                string errors = string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
                throw new InvalidOperationException($"test source for {name} does not compile:{Environment.NewLine}{errors}");
            }
        }

        return path;
    }

    public static string Compile(string name, string directory, string source, params string[] references) =>
        Compile(name, directory, [source], references.Select(r => MetadataReference.CreateFromFile(r)));

    private static CSharpCompilation Create(string name, IEnumerable<string> sources, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(
            name,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
            s_frameworkReferences.Value.AddRange(references),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, optimizationLevel: OptimizationLevel.Release));

    /// <summary>The SDK's <c>Microsoft.NETCore.App.Ref</c> for the running runtime's major version.</summary>
    public static string FrameworkReferenceDirectory
    {
        get
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
            string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
            string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
            string major = Environment.Version.Major + ".";
            string version = Directory.GetDirectories(packs)
                .Select(Path.GetFileName)
                .Where(v => v!.StartsWith(major, StringComparison.Ordinal))
                .OrderBy(v => Version.TryParse(v, out Version? parsed) ? parsed : new Version())
                .Last()!;
            return Path.Combine(packs, version, "ref", $"net{Environment.Version.Major}.0");
        }
    }

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences() =>
        Directory.GetFiles(FrameworkReferenceDirectory, "*.dll")
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();

    private static MetadataReference CompilePlugAttributes()
    {
        string sourceDirectory = Path.Combine(AppContext.BaseDirectory, "PlugAttributes");
        string[] sources = Directory.GetFiles(sourceDirectory, "*.cs").Select(File.ReadAllText).ToArray();
        if (sources.Length == 0)
        {
            throw new InvalidOperationException($"no plug attribute sources in {sourceDirectory}");
        }

        using var image = new MemoryStream();
        EmitResult result = Create("Cosmos.Core", sources, []).Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("the plug attributes do not compile:" + Environment.NewLine + string.Join(Environment.NewLine, result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
