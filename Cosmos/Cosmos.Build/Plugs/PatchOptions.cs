using System.Collections.Generic;

namespace Cosmos.Build.Plugs;

/// <summary>What <c>cosmos patch</c> reads and where it writes.</summary>
/// <param name="PlugAssemblies">Assemblies holding <c>[Plug]</c> classes.</param>
/// <param name="Targets">Folders or assemblies that plugs may patch (the class library).</param>
/// <param name="References">Folders or assemblies only read to resolve names.</param>
/// <param name="OutputDirectory">Where patched copies go; never an input folder.</param>
public sealed record PatchOptions(
    IReadOnlyList<string> PlugAssemblies,
    IReadOnlyList<string> Targets,
    IReadOnlyList<string> References,
    string OutputDirectory);
