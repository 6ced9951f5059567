using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Cosmos.Build.Plugs;

/// <summary>
/// Applies one plug binding: the target calls a RuntimeImport stub, the plug method carries the
/// matching RuntimeExport, and ILC links the two by symbol name. The target's assembly never
/// references the plug assembly, so the class library stays free of cycles.
/// </summary>
/// <remarks>
/// In the target's declaring type:
/// <code>
/// [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("__cosmos_plug_…")]
/// private static extern R __plug_N(T aThis, P1 p1, …);     // aThis only for instance targets
/// R Target(P1 p1, …) { return __plug_N(this, p1, …); }      // the old body, P/Invoke or FCall is gone
/// </code>
/// and on the plug method <c>[RuntimeExport("__cosmos_plug_…")]</c>.
/// </remarks>
public sealed class AssemblyPatcher
{
    private const string StubPrefix = "__plug_";

    private const MethodImplAttributes ClearedImplementationFlags =
        MethodImplAttributes.CodeTypeMask
        | MethodImplAttributes.ManagedMask
        | MethodImplAttributes.InternalCall
        | MethodImplAttributes.AggressiveInlining
        | MethodImplAttributes.PreserveSig
        | MethodImplAttributes.Synchronized;

    private readonly RuntimeAttributes _runtimeAttributes = new();

    /// <summary>Rewrites the binding's target and plug method; returns the symbol that joins them.</summary>
    public string Apply(PlugBinding binding)
    {
        string symbol = PlugSymbol.For(binding.Target);
        MethodDefinition stub = AddImportStub(binding.Target, symbol);
        RedirectBody(binding.Target, stub);
        MethodDefinition plug = binding.PlugMethod;
        plug.CustomAttributes.Add(_runtimeAttributes.Export(plug.Module, symbol));
        return symbol;
    }

    private MethodDefinition AddImportStub(MethodDefinition target, string symbol)
    {
        TypeDefinition type = target.DeclaringType;
        var stub = new MethodDefinition(
            UnusedStubName(type),
            MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig,
            target.ReturnType)
        {
            ImplAttributes = MethodImplAttributes.InternalCall,
        };
        if (target.HasThis)
        {
            stub.Parameters.Add(new ParameterDefinition(PlugMatcher.ThisParameterName, ParameterAttributes.None, PlugMatcher.ThisType(type)));
        }

        foreach (ParameterDefinition parameter in target.Parameters)
        {
            stub.Parameters.Add(new ParameterDefinition(parameter.Name, ParameterAttributes.None, parameter.ParameterType));
        }

        stub.CustomAttributes.Add(_runtimeAttributes.Import(target.Module, symbol));
        type.Methods.Add(stub);
        return stub;
    }

    private static void RedirectBody(MethodDefinition target, MethodDefinition stub)
    {
        // Cecil's PInvokeInfo setter sets PInvokeImpl again, so clear the info first.
        target.PInvokeInfo = null;
        target.IsPInvokeImpl = false;
        target.ImplAttributes = (target.ImplAttributes & ~ClearedImplementationFlags) | MethodImplAttributes.IL | MethodImplAttributes.Managed;
        RemoveAttributes(target);

        target.Body = new MethodBody(target);
        ILProcessor il = target.Body.GetILProcessor();
        if (target.HasThis)
        {
            il.Emit(OpCodes.Ldarg, target.Body.ThisParameter);
        }

        foreach (ParameterDefinition parameter in target.Parameters)
        {
            il.Emit(OpCodes.Ldarg, parameter);
        }

        il.Emit(OpCodes.Call, stub);
        il.Emit(OpCodes.Ret);
        target.Body.OptimizeMacros();
    }

    /// <summary>
    /// Drops the attributes that would make ILC ignore the new body: RuntimeImport (an FCall's
    /// binding) and Intrinsic (ILC or RyuJIT expands the call itself), plus SuppressGCTransition,
    /// which only a P/Invoke may carry.
    /// </summary>
    private static void RemoveAttributes(MethodDefinition target)
    {
        for (int i = target.CustomAttributes.Count - 1; i >= 0; i--)
        {
            TypeReference type = target.CustomAttributes[i].AttributeType;
            bool isRuntimeImport = type.Namespace == PlugAttributeNames.RuntimeNamespace && type.Name == PlugAttributeNames.RuntimeImport;
            if (isRuntimeImport || type.FullName is PlugAttributeNames.Intrinsic or PlugAttributeNames.SuppressGCTransition)
            {
                target.CustomAttributes.RemoveAt(i);
            }
        }
    }

    private static string UnusedStubName(TypeDefinition type)
    {
        for (int n = 0; ; n++)
        {
            string name = StubPrefix + n;
            if (type.Methods.All(m => m.Name != name))
            {
                return name;
            }
        }
    }
}
