using System;

namespace Cosmos.Core.Plugs;

/// <summary>
/// Marks a static method of a <see cref="PlugAttribute"/> class as the replacement body of a
/// method of the plugged type.
/// </summary>
/// <remarks>
/// The target is the method with the given name (default: the plug method's own name; property
/// accessors are <c>get_Name</c>/<c>set_Name</c>, constructors <c>.ctor</c>) whose parameters
/// match the plug method's. For an instance target the plug method takes the instance as an
/// extra first parameter named <c>aThis</c>: the declaring type or <see cref="object"/> for a
/// class, <c>ref T</c> or a pointer (<c>nint</c>, <c>void*</c>) for a struct. A plug parameter of
/// type <see cref="object"/> matches any reference type; <c>nint</c> or <c>void*</c> matches any
/// pointer, <c>ref</c> or <c>nint</c>. The return type follows the same rule.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PlugMemberAttribute : Attribute
{
    /// <summary>Targets the method with the plug method's own name.</summary>
    public PlugMemberAttribute()
    {
    }

    /// <summary>Targets the method named <paramref name="targetName"/>.</summary>
    /// <param name="targetName">The target method's metadata name, e.g. <c>.ctor</c> or <c>get_Length</c>.</param>
    public PlugMemberAttribute(string targetName)
    {
        TargetName = targetName;
    }

    /// <summary>The target method's name, or null to use the plug method's own name.</summary>
    public string? TargetName { get; }
}
