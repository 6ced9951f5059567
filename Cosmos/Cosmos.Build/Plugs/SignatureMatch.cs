namespace Cosmos.Build.Plugs;

/// <summary>How well a plug method's signature fits a target method's.</summary>
public enum SignatureMatch
{
    None,

    /// <summary>Matches only through <c>object</c> or <c>nint</c>/<c>void*</c> standing for a type.</summary>
    Loose,

    Exact,
}
