using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>Finds the type definition a <c>[Plug]</c> names, following type forwarders.</summary>
public sealed class TargetTypeResolver
{
    private readonly AssemblySet _assemblies;

    public TargetTypeResolver(AssemblySet assemblies)
    {
        _assemblies = assemblies;
    }

    /// <summary>The target type, or null after adding a diagnostic that says why not.</summary>
    public TypeDefinition? Resolve(PlugTypeDeclaration plug, ICollection<Diagnostic> diagnostics)
    {
        TypeDefinition? type = plug.Target switch
        {
            TargetTypeReference reference => ResolveReference(plug, reference.Type, diagnostics),
            TargetTypeString name => ResolveString(plug, name, diagnostics),
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        AssemblyDefinition assembly = type.Module.Assembly;
        // A plug assembly is written out anyway, so its own types may be patched too.
        if (_assemblies.RoleOf(assembly) == AssemblyRole.Reference)
        {
            diagnostics.Add(new Diagnostic(
                Diagnostic.AssemblyCode,
                $"plug {TypeNames.Display(plug.PlugType)} targets type {TypeNames.Display(type)} in {assembly.Name.Name}, which is not among the --targets assemblies"));
            return null;
        }

        if (type.HasGenericParameters)
        {
            diagnostics.Add(new Diagnostic(
                Diagnostic.InvalidPlugCode,
                $"plug {TypeNames.Display(plug.PlugType)} targets generic type {TypeNames.Display(type)}; generic types cannot be plugged (one exported symbol cannot serve every instantiation)"));
            return null;
        }

        return type;
    }

    private TypeDefinition? ResolveReference(PlugTypeDeclaration plug, TypeReference reference, ICollection<Diagnostic> diagnostics)
    {
        string assemblyName = ScopeAssemblyName(reference);
        try
        {
            TypeDefinition? type = reference.Resolve();
            if (type is not null)
            {
                return type;
            }
        }
        catch (AssemblyResolutionException e)
        {
            diagnostics.Add(AssemblyMissing(plug, TypeNames.Display(reference), e.AssemblyReference.Name));
            return null;
        }

        diagnostics.Add(TypeMissing(plug, TypeNames.Display(reference), assemblyName));
        return null;
    }

    private TypeDefinition? ResolveString(PlugTypeDeclaration plug, TargetTypeString name, ICollection<Diagnostic> diagnostics)
    {
        AssemblyDefinition? assembly = _assemblies.TryLoad(name.AssemblyName);
        if (assembly is null)
        {
            diagnostics.Add(AssemblyMissing(plug, name.Display, name.AssemblyName));
            return null;
        }

        TypeDefinition? type = assembly.MainModule.GetType(name.TypeFullName);
        if (type is not null)
        {
            return type;
        }

        // A facade such as System.Runtime forwards the type to where it lives.
        ExportedType? forwarded = assembly.MainModule.ExportedTypes.FirstOrDefault(e => e.FullName == name.TypeFullName);
        try
        {
            type = forwarded?.Resolve();
        }
        catch (AssemblyResolutionException e)
        {
            diagnostics.Add(AssemblyMissing(plug, name.Display, e.AssemblyReference.Name));
            return null;
        }

        if (type is null)
        {
            diagnostics.Add(TypeMissing(plug, name.Display, name.AssemblyName));
        }

        return type;
    }

    private static string ScopeAssemblyName(TypeReference reference)
    {
        while (reference.DeclaringType is not null)
        {
            reference = reference.DeclaringType;
        }

        return reference.Scope switch
        {
            AssemblyNameReference name => name.Name,
            ModuleDefinition module => module.Assembly.Name.Name,
            _ => reference.Scope.Name,
        };
    }

    private static Diagnostic TypeMissing(PlugTypeDeclaration plug, string typeName, string assemblyName) => new(
        Diagnostic.TypeMissingCode,
        $"plug {TypeNames.Display(plug.PlugType)} targets type {typeName} which does not exist in {assemblyName}");

    private static Diagnostic AssemblyMissing(PlugTypeDeclaration plug, string typeName, string assemblyName) => new(
        Diagnostic.AssemblyCode,
        $"plug {TypeNames.Display(plug.PlugType)} targets type {typeName} in assembly {assemblyName}, which is not among the --targets or --references");
}
