using System.Collections.Generic;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>How a <c>[Plug]</c> names its target type.</summary>
public abstract record TargetTypeName
{
    /// <summary>The name as a message shows it.</summary>
    public abstract string Display { get; }
}

/// <summary><c>[Plug(typeof(T))]</c>: a reference whose scope may be a facade that forwards T.</summary>
public sealed record TargetTypeReference(TypeReference Type) : TargetTypeName
{
    public override string Display => TypeNames.Display(Type);
}

/// <summary><c>[Plug("Namespace.Outer+Inner, Assembly")]</c>.</summary>
public sealed record TargetTypeString(string TypeFullName, string AssemblyName) : TargetTypeName
{
    public override string Display => TypeFullName.Replace('/', '+');
}

/// <summary>A <c>[Plug]</c> class and its <c>[PlugMember]</c> methods.</summary>
public sealed record PlugTypeDeclaration(
    TypeDefinition PlugType,
    TargetTypeName Target,
    IReadOnlyList<PlugMethodDeclaration> Members);

/// <summary>A <c>[PlugMember]</c> method and the name of the method it replaces.</summary>
public sealed record PlugMethodDeclaration(MethodDefinition PlugMethod, string TargetName)
{
    /// <summary><c>PlugType.Method</c>, as messages name the plug.</summary>
    public string Display => $"{TypeNames.Display(PlugMethod.DeclaringType)}.{PlugMethod.Name}";
}
