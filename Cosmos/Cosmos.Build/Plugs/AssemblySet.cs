using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Cosmos.Build.Plugs;

/// <summary>
/// The assemblies the patcher knows, by simple name, loaded only when first asked for (a
/// class-library folder holds ~175 assemblies; a build touches two or three). It is also the
/// Cecil resolver of every module it loads, so a type forwarded from a facade such as
/// System.Runtime resolves to the very definition that will be patched and written.
/// When a name occurs more than once, plugs win over targets, targets over references, and
/// otherwise the first one given.
/// </summary>
public sealed class AssemblySet : IAssemblyResolver
{
    private readonly Dictionary<string, Candidate> _candidates = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AssemblyDefinition> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<AssemblyDefinition, Candidate> _origins = new();

    private sealed record Candidate(string Path, AssemblyRole Role);

    /// <summary>Adds a folder's <c>*.dll</c> files, or one file, under <paramref name="role"/>.</summary>
    /// <exception cref="FileNotFoundException">The path is neither a folder nor a file.</exception>
    public void Add(string path, AssemblyRole role)
    {
        if (Directory.Exists(path))
        {
            foreach (string file in Directory.EnumerateFiles(path, "*.dll").Order(StringComparer.Ordinal))
            {
                AddFile(file, role);
            }
        }
        else if (File.Exists(path))
        {
            AddFile(path, role);
        }
        else
        {
            throw new FileNotFoundException($"'{path}' is neither a folder nor a file", path);
        }
    }

    /// <summary>The assembly named <paramref name="simpleName"/>, or null if none was given.</summary>
    /// <exception cref="BadImageFormatException">The file is not a managed assembly.</exception>
    public AssemblyDefinition? TryLoad(string simpleName)
    {
        if (_loaded.TryGetValue(simpleName, out AssemblyDefinition? assembly))
        {
            return assembly;
        }

        if (!_candidates.TryGetValue(simpleName, out Candidate? candidate))
        {
            return null;
        }

        assembly = Read(candidate.Path);
        _loaded.Add(simpleName, assembly);
        _origins.Add(assembly, candidate);
        return assembly;
    }

    /// <summary>Loads the assembly at <paramref name="path"/> (which must have been added).</summary>
    public AssemblyDefinition Load(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        AssemblyDefinition assembly = TryLoad(name)
            ?? throw new InvalidOperationException($"'{path}' was not added to the assembly set");
        return assembly;
    }

    public AssemblyRole RoleOf(AssemblyDefinition assembly) => _origins[assembly].Role;

    public string PathOf(AssemblyDefinition assembly) => _origins[assembly].Path;

    public AssemblyDefinition Resolve(AssemblyNameReference name) => Resolve(name, new ReaderParameters());

    public AssemblyDefinition Resolve(AssemblyNameReference name, ReaderParameters parameters) =>
        TryLoad(name.Name) ?? throw new AssemblyResolutionException(name);

    public void Dispose()
    {
        foreach (AssemblyDefinition assembly in _loaded.Values)
        {
            assembly.Dispose();
        }

        _loaded.Clear();
        _origins.Clear();
    }

    private void AddFile(string file, AssemblyRole role)
    {
        string fullPath = System.IO.Path.GetFullPath(file);
        string name = System.IO.Path.GetFileNameWithoutExtension(fullPath);
        if (_candidates.TryGetValue(name, out Candidate? existing) && existing.Role <= role)
        {
            return;
        }

        if (_loaded.ContainsKey(name))
        {
            throw new InvalidOperationException($"'{name}' was loaded before '{file}' was added");
        }

        _candidates[name] = new Candidate(fullPath, role);
    }

    private AssemblyDefinition Read(string path)
    {
        // In memory, so that the file may be replaced while its module is alive; with symbols
        // when a PDB is there, so that ILC's -g still has C# lines for plugs.
        var parameters = new ReaderParameters
        {
            AssemblyResolver = this,
            InMemory = true,
            ReadSymbols = true,
            SymbolReaderProvider = new DefaultSymbolReaderProvider(throwIfNoSymbol: false),
        };
        return AssemblyDefinition.ReadAssembly(path, parameters);
    }
}
