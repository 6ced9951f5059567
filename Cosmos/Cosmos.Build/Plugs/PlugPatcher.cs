using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>
/// Runs a whole patch: scan the plug assemblies, resolve and match every plug, and only if all
/// of them are sound, rewrite the targets and write patched copies of the touched target
/// assemblies and of every plug assembly into the output folder.
/// </summary>
public static class PlugPatcher
{
    public static PatchResult Patch(PatchOptions options)
    {
        var diagnostics = new List<Diagnostic>();
        var assemblies = new AssemblySet();
        try
        {
            List<AssemblyDefinition>? plugAssemblies = LoadInputs(options, assemblies, diagnostics);
            if (plugAssemblies is null)
            {
                return Failed(diagnostics);
            }

            List<PlugBinding> bindings = Bind(plugAssemblies, assemblies, diagnostics);
            if (diagnostics.Count > 0)
            {
                return Failed(diagnostics);
            }

            var patcher = new AssemblyPatcher();
            var applied = new List<AppliedPlug>();
            foreach (PlugBinding binding in bindings)
            {
                string symbol = patcher.Apply(binding);
                applied.Add(new AppliedPlug(
                    binding.Target.Module.Assembly.Name.Name,
                    binding.TargetDisplay,
                    binding.PlugMethod.Module.Assembly.Name.Name,
                    binding.Plug.Display,
                    symbol));
            }

            IEnumerable<AssemblyDefinition> touched = bindings.Select(b => b.Target.Module.Assembly);
            List<AssemblyDefinition> outputs = touched.Concat(plugAssemblies).Distinct().ToList();
            List<string>? written = Write(outputs, assemblies, options.OutputDirectory, diagnostics);
            return written is null ? Failed(diagnostics) : new PatchResult(diagnostics, applied, written);
        }
        finally
        {
            assemblies.Dispose();
        }
    }

    private static List<AssemblyDefinition>? LoadInputs(PatchOptions options, AssemblySet assemblies, List<Diagnostic> diagnostics)
    {
        foreach ((IReadOnlyList<string> paths, AssemblyRole role) in new[]
        {
            (options.PlugAssemblies, AssemblyRole.Plug),
            (options.Targets, AssemblyRole.Target),
            (options.References, AssemblyRole.Reference),
        })
        {
            foreach (string path in paths)
            {
                if (role == AssemblyRole.Plug && !File.Exists(path))
                {
                    diagnostics.Add(new Diagnostic(Diagnostic.AssemblyCode, $"plug assembly '{path}' does not exist"));
                    continue;
                }

                try
                {
                    assemblies.Add(path, role);
                }
                catch (FileNotFoundException e)
                {
                    diagnostics.Add(new Diagnostic(Diagnostic.AssemblyCode, e.Message));
                }
            }
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        var plugs = new List<AssemblyDefinition>();
        foreach (string path in options.PlugAssemblies)
        {
            try
            {
                plugs.Add(assemblies.Load(path));
            }
            catch (Exception e) when (e is BadImageFormatException or IOException)
            {
                diagnostics.Add(new Diagnostic(Diagnostic.AssemblyCode, $"cannot read plug assembly '{path}': {e.Message}"));
            }
        }

        return diagnostics.Count > 0 ? null : plugs;
    }

    private static List<PlugBinding> Bind(List<AssemblyDefinition> plugAssemblies, AssemblySet assemblies, List<Diagnostic> diagnostics)
    {
        var resolver = new TargetTypeResolver(assemblies);
        var bindings = new List<PlugBinding>();
        var byTarget = new Dictionary<MethodDefinition, PlugBinding>();
        foreach (AssemblyDefinition plugAssembly in plugAssemblies.Distinct())
        {
            foreach (PlugTypeDeclaration declaration in PlugScanner.Scan(plugAssembly, diagnostics))
            {
                TypeDefinition? targetType = resolver.Resolve(declaration, diagnostics);
                if (targetType is null)
                {
                    continue;
                }

                foreach (PlugMethodDeclaration member in declaration.Members)
                {
                    PlugBinding? binding = PlugMatcher.Match(member, targetType, diagnostics);
                    if (binding is null)
                    {
                        continue;
                    }

                    if (byTarget.TryGetValue(binding.Target, out PlugBinding? earlier))
                    {
                        diagnostics.Add(new Diagnostic(
                            Diagnostic.DuplicatePlugCode,
                            $"plug {member.Display} targets {binding.TargetDisplay}, which plug {earlier.Plug.Display} already replaces"));
                        continue;
                    }

                    byTarget.Add(binding.Target, binding);
                    bindings.Add(binding);
                }
            }
        }

        return bindings;
    }

    private static List<string>? Write(List<AssemblyDefinition> outputs, AssemblySet assemblies, string outputDirectory, List<Diagnostic> diagnostics)
    {
        string outputFolder = Path.GetFullPath(outputDirectory);
        foreach (AssemblyDefinition assembly in outputs)
        {
            string? sourceFolder = Path.GetDirectoryName(assemblies.PathOf(assembly));
            if (string.Equals(sourceFolder, outputFolder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                diagnostics.Add(new Diagnostic(
                    Diagnostic.AssemblyCode,
                    $"--out '{outputDirectory}' is the folder of input {assemblies.PathOf(assembly)}; patched copies must go elsewhere"));
            }
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        var written = new List<string>();
        Directory.CreateDirectory(outputFolder);
        foreach (AssemblyDefinition assembly in outputs)
        {
            string path = Path.Combine(outputFolder, Path.GetFileName(assemblies.PathOf(assembly)));
            var parameters = new WriterParameters
            {
                WriteSymbols = assembly.MainModule.HasSymbols,
                DeterministicMvid = true,
            };
            try
            {
                assembly.Write(path, parameters);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new Diagnostic(Diagnostic.AssemblyCode, $"cannot write '{path}': {e.Message}"));
                return null;
            }

            written.Add(path);
        }

        return written;
    }

    private static PatchResult Failed(List<Diagnostic> diagnostics) =>
        new(diagnostics, Array.Empty<AppliedPlug>(), Array.Empty<string>());
}
