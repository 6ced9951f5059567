using System;
using System.Security.Cryptography;
using System.Text;
using Mono.Cecil;

namespace Cosmos.Build.Plugs;

/// <summary>
/// The linker symbol through which a patched method calls its plug:
/// <c>__cosmos_plug_System_Environment_get_ProcessorCount_1a2b3c4d</c>. The readable part says
/// what is plugged (it shows up in undefined-symbol errors and in gdb); the hash of the target's
/// assembly and full signature keeps overloads apart. The same target always gets the same name.
/// </summary>
public static class PlugSymbol
{
    public const string Prefix = "__cosmos_plug_";

    public static string For(MethodDefinition target)
    {
        string identity = $"{target.Module.Assembly.Name.Name}|{target.FullName}";
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        string hex = Convert.ToHexStringLower(hash, 0, 4);
        return $"{Prefix}{Sanitize(target.DeclaringType.FullName)}_{Sanitize(target.Name)}_{hex}";
    }

    /// <summary>Keeps <c>[A-Za-z0-9_]</c>, which every assembler and linker accepts; the rest becomes <c>_</c>.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return builder.ToString();
    }
}
