using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>Finds the <c>[Plug]</c> classes and their <c>[PlugMember]</c> methods in a plug assembly.</summary>
public static class PlugScanner
{
    public static IReadOnlyList<PlugTypeDeclaration> Scan(AssemblyDefinition plugAssembly, ICollection<Diagnostic> diagnostics)
    {
        var declarations = new List<PlugTypeDeclaration>();
        foreach (TypeDefinition type in plugAssembly.Modules.SelectMany(m => m.GetTypes()))
        {
            CustomAttribute? plug = Find(type.CustomAttributes, PlugAttributeNames.Plug);
            if (plug is null)
            {
                ReportStrayMembers(type, diagnostics);
                continue;
            }

            TargetTypeName? target = ReadTarget(type, plug, diagnostics);
            if (target is not null)
            {
                declarations.Add(new PlugTypeDeclaration(type, target, ReadMembers(type)));
            }
        }

        return declarations;
    }

    private static TargetTypeName? ReadTarget(TypeDefinition plugType, CustomAttribute plug, ICollection<Diagnostic> diagnostics)
    {
        object? value = plug.ConstructorArguments.Count == 1 ? plug.ConstructorArguments[0].Value : null;
        switch (value)
        {
            case TypeReference type:
                return new TargetTypeReference(type);
            case string name:
                TargetTypeString? parsed = ParseTypeName(name);
                if (parsed is null)
                {
                    diagnostics.Add(new Diagnostic(
                        Diagnostic.InvalidPlugCode,
                        $"plug {TypeNames.Display(plugType)} targets '{name}', which is not an assembly-qualified type name such as \"System.ConsolePal, System.Console\""));
                }

                return parsed;
            default:
                diagnostics.Add(new Diagnostic(
                    Diagnostic.InvalidPlugCode,
                    $"plug {TypeNames.Display(plugType)} has a [Plug] attribute without a target type"));
                return null;
        }
    }

    /// <summary>Parses <c>"Namespace.Outer+Inner, Assembly[, Version=…]"</c>.</summary>
    public static TargetTypeString? ParseTypeName(string name)
    {
        string[] parts = name.Split(',');
        if (parts.Length < 2)
        {
            return null;
        }

        string typeName = parts[0].Trim();
        string assemblyName = parts[1].Trim();
        if (typeName.Length == 0 || assemblyName.Length == 0)
        {
            return null;
        }

        return new TargetTypeString(typeName.Replace('+', '/'), assemblyName);
    }

    private static List<PlugMethodDeclaration> ReadMembers(TypeDefinition plugType)
    {
        var members = new List<PlugMethodDeclaration>();
        foreach (MethodDefinition method in plugType.Methods)
        {
            CustomAttribute? member = Find(method.CustomAttributes, PlugAttributeNames.PlugMember);
            if (member is null)
            {
                continue;
            }

            string? targetName = member.ConstructorArguments.Count == 1
                ? member.ConstructorArguments[0].Value as string
                : null;
            members.Add(new PlugMethodDeclaration(method, targetName ?? method.Name));
        }

        return members;
    }

    private static void ReportStrayMembers(TypeDefinition type, ICollection<Diagnostic> diagnostics)
    {
        foreach (MethodDefinition method in type.Methods)
        {
            if (Find(method.CustomAttributes, PlugAttributeNames.PlugMember) is not null)
            {
                diagnostics.Add(new Diagnostic(
                    Diagnostic.InvalidPlugCode,
                    $"{TypeNames.Display(type)}.{method.Name} has [PlugMember] but {TypeNames.Display(type)} has no [Plug] attribute"));
            }
        }
    }

    private static CustomAttribute? Find(IEnumerable<CustomAttribute> attributes, string fullName) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == fullName);
}
