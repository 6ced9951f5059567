using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>A plug method matched to the target method whose body it replaces.</summary>
public sealed record PlugBinding(PlugMethodDeclaration Plug, MethodDefinition Target)
{
    public MethodDefinition PlugMethod => Plug.PlugMethod;

    /// <summary><c>Type::Name(params)</c>, as messages name the target.</summary>
    public string TargetDisplay => PlugMatcher.DisplayMethod(Target);
}
