using System.Collections.Generic;

namespace Cosmos.Build.Plugs;

/// <summary>One plug that was applied.</summary>
public sealed record AppliedPlug(string TargetAssembly, string Target, string PlugAssembly, string Plug, string Symbol)
{
    /// <summary>The line <c>cosmos patch --verbose</c> prints.</summary>
    public override string ToString() => $"[patch] {TargetAssembly}: {Target} -> {PlugAssembly}: {Plug} ({Symbol})";
}

/// <summary>What a patch run did: nothing is written when there is any diagnostic.</summary>
public sealed record PatchResult(
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<AppliedPlug> Applied,
    IReadOnlyList<string> WrittenFiles)
{
    public bool Succeeded => Diagnostics.Count == 0;
}
