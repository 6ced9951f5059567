using System;

namespace Cosmos.Core.Plugs;

/// <summary>
/// Marks a static class whose <see cref="PlugMemberAttribute"/> methods replace the bodies of
/// methods of a class-library type. The build (<c>cosmos patch</c>) rewrites the target method
/// to call the plug method; the class library never references the plug assembly.
/// </summary>
/// <example>
/// <code>
/// [Plug(typeof(System.Environment))]
/// public static class EnvironmentPlug
/// {
///     [PlugMember] public static int get_ProcessorCount() => 1;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PlugAttribute : Attribute
{
    /// <summary>Plugs a type the plug assembly can name with <c>typeof</c>.</summary>
    /// <param name="target">The type whose methods are replaced.</param>
    public PlugAttribute(Type target)
    {
        Target = target;
    }

    /// <summary>
    /// Plugs a type the plug assembly cannot name, such as an internal class-library type.
    /// </summary>
    /// <param name="targetName">
    /// An assembly-qualified name, <c>"Namespace.Type, Assembly"</c>; nested types use <c>+</c>
    /// (<c>"Interop+Sys, System.Private.CoreLib"</c>).
    /// </param>
    public PlugAttribute(string targetName)
    {
        TargetName = targetName;
    }

    /// <summary>The plugged type when given with <c>typeof</c>; otherwise null.</summary>
    public Type? Target { get; }

    /// <summary>The plugged type when given by name; otherwise null.</summary>
    public string? TargetName { get; }
}
