namespace Cosmos.Build.Plugs;

/// <summary>
/// Attributes are recognised by name, so the patcher needs no reference to Cosmos.Core and
/// reads plug assemblies built against any version of it.
/// </summary>
public static class PlugAttributeNames
{
    public const string Plug = "Cosmos.Core.Plugs.PlugAttribute";
    public const string PlugMember = "Cosmos.Core.Plugs.PlugMemberAttribute";

    /// <summary>ILC recognises these by namespace and name in any module.</summary>
    public const string RuntimeNamespace = "System.Runtime";
    public const string RuntimeImport = "RuntimeImportAttribute";
    public const string RuntimeExport = "RuntimeExportAttribute";

    /// <summary>Makes ILC or RyuJIT substitute its own code for the method body.</summary>
    public const string Intrinsic = "System.Runtime.CompilerServices.IntrinsicAttribute";

    /// <summary>Meaningful only on a P/Invoke, which a plugged method no longer is.</summary>
    public const string SuppressGCTransition = "System.Runtime.InteropServices.SuppressGCTransitionAttribute";
}
