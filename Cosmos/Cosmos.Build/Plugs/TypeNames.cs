using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>
/// Type names for comparing signatures across assemblies: full names with the assembly left out
/// (a plug built against System.Runtime names CoreLib's types through forwarders) and custom
/// modifiers dropped (<c>in</c> parameters carry <c>modreq(InAttribute)</c>, which the plug's
/// <c>ref</c> does not).
/// </summary>
public static class TypeNames
{
    /// <summary>The name two signatures must share to match exactly.</summary>
    public static string Canonical(TypeReference type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    /// <summary>The name as messages show it: nested types with <c>+</c>, as C# and reflection write them.</summary>
    public static string Display(TypeReference type) => Canonical(type).Replace('/', '+');

    /// <summary>Strips custom modifiers and <c>pinned</c>.</summary>
    public static TypeReference Unmodified(TypeReference type)
    {
        while (type is IModifierType or PinnedType)
        {
            type = ((TypeSpecification)type).ElementType;
        }

        return type;
    }

    /// <summary>A class, interface, array, string or delegate: something <c>object</c> can stand for.</summary>
    public static bool IsReferenceType(TypeReference type)
    {
        type = Unmodified(type);
        return type switch
        {
            ArrayType => true,
            PointerType or ByReferenceType or FunctionPointerType or GenericParameter => false,
            _ => !type.IsValueType && type.FullName != "System.Void",
        };
    }

    /// <summary>Something passed as a bare address: a pointer, a <c>ref</c>, <c>nint</c> or <c>nuint</c>.</summary>
    public static bool IsAddressLike(TypeReference type)
    {
        type = Unmodified(type);
        return type is PointerType or ByReferenceType or FunctionPointerType
            || type.FullName is "System.IntPtr" or "System.UIntPtr";
    }

    private static void Append(StringBuilder builder, TypeReference type)
    {
        type = Unmodified(type);
        switch (type)
        {
            case ByReferenceType byReference:
                Append(builder, byReference.ElementType);
                builder.Append('&');
                break;
            case PointerType pointer:
                Append(builder, pointer.ElementType);
                builder.Append('*');
                break;
            case ArrayType array:
                Append(builder, array.ElementType);
                builder.Append('[').Append(',', array.Rank - 1).Append(']');
                break;
            case GenericInstanceType generic:
                Append(builder, generic.ElementType);
                builder.Append('<');
                builder.AppendJoin(",", generic.GenericArguments.Select(Canonical));
                builder.Append('>');
                break;
            case FunctionPointerType functionPointer:
                builder.Append("delegate*<");
                builder.AppendJoin(",", functionPointer.Parameters.Select(p => Canonical(p.ParameterType)));
                if (functionPointer.Parameters.Count > 0)
                {
                    builder.Append(',');
                }

                Append(builder, functionPointer.ReturnType);
                builder.Append('>');
                break;
            default:
                builder.Append(type.FullName);
                break;
        }
    }
}
