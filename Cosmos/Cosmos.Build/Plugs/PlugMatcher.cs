using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>
/// Matches a <c>[PlugMember]</c> method to one method of the target type.
/// </summary>
/// <remarks>
/// The candidates are the target type's methods with the plug's target name. An instance target
/// needs the plug's first parameter to be named <c>aThis</c>; a static target needs it not to be.
/// The remaining parameters and the return type must match by full type name (assembly and
/// custom modifiers ignored), except that a plug's <c>object</c> matches any reference type and a
/// plug's <c>nint</c> or <c>void*</c> matches any pointer, <c>ref</c>, <c>nint</c> or <c>nuint</c>.
/// A single exact match wins over loose ones; otherwise more than one match is ambiguous.
/// </remarks>
public static class PlugMatcher
{
    public const string ThisParameterName = "aThis";

    /// <summary>The target method, or null after adding a diagnostic that says why not.</summary>
    public static PlugBinding? Match(PlugMethodDeclaration plug, TypeDefinition targetType, ICollection<Diagnostic> diagnostics)
    {
        MethodDefinition plugMethod = plug.PlugMethod;
        string assemblyName = targetType.Module.Assembly.Name.Name;
        if (!plugMethod.IsStatic || plugMethod.HasGenericParameters)
        {
            diagnostics.Add(Invalid(plug, "must be a static, non-generic method"));
            return null;
        }

        if (plugMethod.CustomAttributes.Any(IsRuntimeExport))
        {
            // Also what an already patched plug assembly looks like: patch the originals.
            diagnostics.Add(Invalid(plug, "already has [RuntimeExport]; a plug method is exported under the symbol the patcher gives it"));
            return null;
        }

        List<MethodDefinition> candidates = targetType.Methods.Where(m => m.Name == plug.TargetName).ToList();
        if (candidates.Count == 0)
        {
            diagnostics.Add(new Diagnostic(
                Diagnostic.MemberMissingCode,
                $"plug {plug.Display} targets {Wanted(plug, targetType)} which does not exist in {assemblyName}"));
            return null;
        }

        var scored = candidates.Select(c => (Method: c, Match: Compare(plugMethod, c))).ToList();
        List<MethodDefinition> matches = scored.Where(s => s.Match == SignatureMatch.Exact).Select(s => s.Method).ToList();
        if (matches.Count == 0)
        {
            matches = scored.Where(s => s.Match == SignatureMatch.Loose).Select(s => s.Method).ToList();
        }

        if (matches.Count == 0)
        {
            diagnostics.Add(new Diagnostic(
                Diagnostic.SignatureMismatchCode,
                $"plug {plug.Display} targets {Wanted(plug, targetType)} which does not exist in {assemblyName}; "
                + $"{TypeNames.Display(targetType)} has {string.Join(", ", candidates.Select(DisplayCandidate))}"));
            return null;
        }

        if (matches.Count > 1)
        {
            diagnostics.Add(new Diagnostic(
                Diagnostic.AmbiguousCode,
                $"plug {plug.Display} targets {Wanted(plug, targetType)} which is ambiguous in {assemblyName}: "
                + $"it matches {string.Join(", ", matches.Select(DisplayCandidate))}; use the exact parameter types"));
            return null;
        }

        MethodDefinition target = matches[0];
        string? unsupported = Unsupported(target);
        if (unsupported is not null)
        {
            diagnostics.Add(Invalid(plug, $"targets {DisplayMethod(target)}, which {unsupported}"));
            return null;
        }

        return new PlugBinding(plug, target);
    }

    /// <summary>How <paramref name="plug"/>'s signature fits <paramref name="target"/>'s.</summary>
    public static SignatureMatch Compare(MethodDefinition plug, MethodDefinition target)
    {
        IList<ParameterDefinition> plugParameters = plug.Parameters;
        bool plugTakesThis = TakesThis(plug);
        if (plugTakesThis != target.HasThis)
        {
            return SignatureMatch.None;
        }

        int offset = plugTakesThis ? 1 : 0;
        if (plugParameters.Count - offset != target.Parameters.Count)
        {
            return SignatureMatch.None;
        }

        SignatureMatch result = SignatureMatch.Exact;
        if (plugTakesThis)
        {
            result = Weakest(result, CompareType(plugParameters[0].ParameterType, ThisType(target.DeclaringType)));
        }

        for (int i = 0; i < target.Parameters.Count; i++)
        {
            result = Weakest(result, CompareType(plugParameters[i + offset].ParameterType, target.Parameters[i].ParameterType));
        }

        return Weakest(result, CompareType(plug.ReturnType, target.ReturnType));
    }

    /// <summary>How a plug's parameter or return type fits the target's.</summary>
    public static SignatureMatch CompareType(TypeReference plugType, TypeReference targetType)
    {
        string plugName = TypeNames.Canonical(plugType);
        if (plugName == TypeNames.Canonical(targetType))
        {
            return SignatureMatch.Exact;
        }

        if (plugName == "System.Object" && TypeNames.IsReferenceType(targetType))
        {
            return SignatureMatch.Loose;
        }

        if (plugName is "System.IntPtr" or "System.Void*" && TypeNames.IsAddressLike(targetType))
        {
            return SignatureMatch.Loose;
        }

        return SignatureMatch.None;
    }

    /// <summary>The type of <c>this</c> as a static method sees it: <c>ref T</c> for a struct.</summary>
    public static TypeReference ThisType(TypeDefinition declaringType) =>
        declaringType.IsValueType ? new ByReferenceType(declaringType) : declaringType;

    /// <summary><c>Type::Name(params)</c>.</summary>
    public static string DisplayMethod(MethodDefinition method) =>
        $"{TypeNames.Display(method.DeclaringType)}::{method.Name}({DisplayParameters(method.Parameters)})";

    private static bool TakesThis(MethodDefinition plug) =>
        plug.Parameters.Count > 0 && plug.Parameters[0].Name == ThisParameterName;

    private static string Wanted(PlugMethodDeclaration plug, TypeDefinition targetType)
    {
        IEnumerable<ParameterDefinition> parameters = plug.PlugMethod.Parameters.Skip(TakesThis(plug.PlugMethod) ? 1 : 0);
        string kind = TakesThis(plug.PlugMethod) ? "instance " : "";
        return $"{kind}{TypeNames.Display(targetType)}::{plug.TargetName}({DisplayParameters(parameters)})";
    }

    private static string DisplayCandidate(MethodDefinition method) =>
        $"{(method.HasThis ? "instance " : "static ")}{method.Name}({DisplayParameters(method.Parameters)})";

    private static string DisplayParameters(IEnumerable<ParameterDefinition> parameters) =>
        string.Join(", ", parameters.Select(p => TypeNames.Display(p.ParameterType)));

    private static bool IsRuntimeExport(CustomAttribute attribute) =>
        attribute.AttributeType.Namespace == PlugAttributeNames.RuntimeNamespace
        && attribute.AttributeType.Name == PlugAttributeNames.RuntimeExport;

    private static SignatureMatch Weakest(SignatureMatch a, SignatureMatch b) => a < b ? a : b;

    private static string? Unsupported(MethodDefinition target)
    {
        if (target.HasGenericParameters)
        {
            return "is generic (one exported symbol cannot serve every instantiation)";
        }

        if (target.IsAbstract)
        {
            return "is abstract and has no body to replace";
        }

        if (target.CallingConvention == MethodCallingConvention.VarArg)
        {
            return "takes variable arguments (__arglist)";
        }

        return null;
    }

    private static Diagnostic Invalid(PlugMethodDeclaration plug, string problem) =>
        new(Diagnostic.InvalidPlugCode, $"plug {plug.Display} {problem}");
}
