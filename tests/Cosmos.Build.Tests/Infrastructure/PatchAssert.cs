using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace Cosmos.Build.Tests.Infrastructure;

/// <summary>Assertions on the IL the patcher leaves behind.</summary>
internal static class PatchAssert
{
    /// <summary>
    /// Asserts the target's body is "load every argument, call the import stub, return" and
    /// returns the stub.
    /// </summary>
    public static MethodDefinition RedirectsToStub(MethodDefinition target)
    {
        Assert.True(target.HasBody, $"{target.FullName} has no body");
        Assert.False(target.IsPInvokeImpl);
        Assert.Null(target.PInvokeInfo);
        Assert.Equal(MethodImplAttributes.IL | MethodImplAttributes.Managed, target.ImplAttributes & (MethodImplAttributes.CodeTypeMask | MethodImplAttributes.ManagedMask));
        Assert.Equal((MethodImplAttributes)0, target.ImplAttributes & (MethodImplAttributes.InternalCall | MethodImplAttributes.AggressiveInlining));

        int argumentCount = target.Parameters.Count + (target.HasThis ? 1 : 0);
        var instructions = target.Body.Instructions.ToList();
        Assert.Equal(argumentCount + 2, instructions.Count);
        for (int i = 0; i < argumentCount; i++)
        {
            Assert.Equal(i, ArgumentIndex(instructions[i], target));
        }

        Assert.Equal(OpCodes.Call, instructions[argumentCount].OpCode);
        Assert.Equal(OpCodes.Ret, instructions[argumentCount + 1].OpCode);
        Assert.Empty(target.Body.ExceptionHandlers);

        var stub = Assert.IsType<MethodDefinition>(instructions[argumentCount].Operand);
        Assert.Same(target.DeclaringType, stub.DeclaringType);
        Assert.StartsWith("__plug_", stub.Name);
        Assert.True(stub.IsStatic && stub.IsPrivate, "stub must be private static");
        Assert.False(stub.HasBody);
        Assert.Equal(MethodImplAttributes.InternalCall, stub.ImplAttributes);
        Assert.Equal(argumentCount, stub.Parameters.Count);
        Assert.Equal(target.ReturnType.FullName, stub.ReturnType.FullName);
        for (int i = 0; i < target.Parameters.Count; i++)
        {
            Assert.Equal(target.Parameters[i].ParameterType.FullName, stub.Parameters[i + argumentCount - target.Parameters.Count].ParameterType.FullName);
        }

        return stub;
    }

    /// <summary>The entry of the stub's <c>[System.Runtime.RuntimeImport]</c>.</summary>
    public static string ImportSymbol(MethodDefinition stub) => SymbolOf(stub, "RuntimeImportAttribute");

    /// <summary>The entry of the plug method's <c>[System.Runtime.RuntimeExport]</c>.</summary>
    public static string ExportSymbol(MethodDefinition plug) => SymbolOf(plug, "RuntimeExportAttribute");

    public static MethodDefinition Method(ModuleDefinition module, string typeFullName, string name)
    {
        TypeDefinition type = module.GetType(typeFullName) ?? throw new Xunit.Sdk.XunitException($"no type {typeFullName} in {module.Name}");
        return Assert.Single(type.Methods, m => m.Name == name);
    }

    private static string SymbolOf(MethodDefinition method, string attributeName)
    {
        CustomAttribute attribute = Assert.Single(
            method.CustomAttributes,
            a => a.AttributeType.Namespace == "System.Runtime" && a.AttributeType.Name == attributeName);
        return Assert.IsType<string>(attribute.ConstructorArguments.Last().Value);
    }

    private static int ArgumentIndex(Instruction instruction, MethodDefinition method)
    {
        int offset = method.HasThis ? 1 : 0;
        return instruction.OpCode.Code switch
        {
            Code.Ldarg_0 => 0,
            Code.Ldarg_1 => 1,
            Code.Ldarg_2 => 2,
            Code.Ldarg_3 => 3,
            Code.Ldarg_S or Code.Ldarg => ((ParameterDefinition)instruction.Operand).Index + offset,
            _ => throw new Xunit.Sdk.XunitException($"expected an ldarg, found {instruction}"),
        };
    }
}
