using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Cosmos.Build.Plugs;

/// <summary>
/// Finds, or defines, <c>System.Runtime.RuntimeImportAttribute</c> and <c>RuntimeExportAttribute</c>
/// in a module. ILC recognises them by namespace and name in any module, so a module that has
/// none gets an internal one of its own rather than a reference to another assembly.
/// </summary>
public sealed class RuntimeAttributes
{
    private readonly Dictionary<(ModuleDefinition, string), MethodReference> _constructors = new();

    /// <summary>A custom attribute <c>[System.Runtime.RuntimeImport(symbol)]</c> for <paramref name="module"/>.</summary>
    public CustomAttribute Import(ModuleDefinition module, string symbol) =>
        Create(module, PlugAttributeNames.RuntimeImport, symbol);

    /// <summary>A custom attribute <c>[System.Runtime.RuntimeExport(symbol)]</c> for <paramref name="module"/>.</summary>
    public CustomAttribute Export(ModuleDefinition module, string symbol) =>
        Create(module, PlugAttributeNames.RuntimeExport, symbol);

    private CustomAttribute Create(ModuleDefinition module, string name, string symbol)
    {
        if (!_constructors.TryGetValue((module, name), out MethodReference? constructor))
        {
            constructor = FindOrDefine(module, name);
            _constructors.Add((module, name), constructor);
        }

        var attribute = new CustomAttribute(constructor);
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, symbol));
        return attribute;
    }

    private static MethodReference FindOrDefine(ModuleDefinition module, string name)
    {
        TypeDefinition type = module.GetType(PlugAttributeNames.RuntimeNamespace, name) ?? Define(module, name);
        MethodDefinition? constructor = type.Methods.FirstOrDefault(IsStringConstructor);
        if (constructor is null)
        {
            // An existing attribute without the (string entry) constructor: add one rather than
            // define a second type of the same name.
            constructor = DefineConstructor(module, type, 1);
        }

        return constructor;
    }

    private static bool IsStringConstructor(MethodDefinition method) =>
        method.IsConstructor && !method.IsStatic && method.Parameters.Count == 1
        && method.Parameters[0].ParameterType.MetadataType == MetadataType.String;

    private static TypeDefinition Define(ModuleDefinition module, string name)
    {
        var type = new TypeDefinition(
            PlugAttributeNames.RuntimeNamespace,
            name,
            TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit,
            AttributeBase(module));
        module.Types.Add(type);

        // (string entry) and (string lib, string entry), as CoreLib's own have.
        DefineConstructor(module, type, 1);
        DefineConstructor(module, type, 2);
        return type;
    }

    private static MethodDefinition DefineConstructor(ModuleDefinition module, TypeDefinition type, int stringCount)
    {
        var constructor = new MethodDefinition(
            ".ctor",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            module.TypeSystem.Void);
        for (int i = 0; i < stringCount; i++)
        {
            constructor.Parameters.Add(new ParameterDefinition(i == stringCount - 1 ? "entry" : "lib", ParameterAttributes.None, module.TypeSystem.String));
        }

        MethodReference baseConstructor = type.BaseType is TypeDefinition baseType
            ? baseType.Methods.First(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 0)
            : new MethodReference(".ctor", module.TypeSystem.Void, type.BaseType) { HasThis = true };
        ILProcessor il = constructor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, baseConstructor);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(constructor);
        return constructor;
    }

    /// <summary><c>System.Attribute</c> as <paramref name="module"/> names it: its own definition in CoreLib, else a reference to its core library.</summary>
    private static TypeReference AttributeBase(ModuleDefinition module) =>
        module.GetType("System", "Attribute")
        ?? new TypeReference("System", "Attribute", module, module.TypeSystem.CoreLibrary);
}
