namespace Cosmos.Build.Plugs;

/// <summary>Why an assembly was given to the patcher; decides whether it may be patched.</summary>
public enum AssemblyRole
{
    Plug,
    Target,
    Reference,
}
