using System.IO;

namespace Cosmos.Build;

/// <summary>
/// An error in MSBuild's canonical format (<c>error COSMOS001: text</c>), so that an
/// <c>Exec</c> of the tool turns it into a build error with its code.
/// </summary>
public sealed record Diagnostic(string Code, string Message)
{
    /// <summary>The command line is wrong.</summary>
    public const string UsageCode = "COSMOS000";

    /// <summary>A plug names a method that its target type does not have.</summary>
    public const string MemberMissingCode = "COSMOS001";

    /// <summary>A plug names a target type that does not exist.</summary>
    public const string TypeMissingCode = "COSMOS002";

    /// <summary>The target type has methods of that name, but none with the plug's parameters.</summary>
    public const string SignatureMismatchCode = "COSMOS003";

    /// <summary>More than one method of the target type matches the plug.</summary>
    public const string AmbiguousCode = "COSMOS004";

    /// <summary>The plug declaration itself cannot work (instance plug method, generic target, …).</summary>
    public const string InvalidPlugCode = "COSMOS005";

    /// <summary>Two plugs replace the same method.</summary>
    public const string DuplicatePlugCode = "COSMOS006";

    /// <summary>An assembly is missing, unreadable or cannot be written.</summary>
    public const string AssemblyCode = "COSMOS007";

    public static Diagnostic Usage(string message) => new(UsageCode, message);

    public override string ToString() => $"error {Code}: {Message}";

    public void WriteTo(TextWriter writer) => writer.WriteLine(ToString());
}
