using System.Collections.Generic;
using System.IO;
using Cosmos.Build.Plugs;

namespace Cosmos.Build.Cli;

/// <summary><c>cosmos patch</c>: applies plugs to class-library assemblies before ILC.</summary>
public sealed class PatchCommand : ICommand
{
    private static readonly string[] ValueOptions = ["plugs", "targets", "references", "out"];
    private static readonly string[] FlagOptions = ["verbose"];

    public string Name => "patch";

    public string Summary => "replace class-library method bodies with [Plug] methods (before ILC)";

    public string Usage => """
        usage: cosmos patch --plugs <plug.dll>... --targets <dir-or-dll>... [--references <dir-or-dll>...]
                            --out <dir> [--verbose]

          --plugs       assemblies with [Plug] classes; patched copies (with [RuntimeExport]) go to --out
          --targets     assemblies, or folders of them, that plugs may patch; those touched go to --out
          --references  assemblies, or folders of them, only read to resolve names (facades, Cosmos.Core)
          --out         folder for the patched copies; must not be an input folder
          --verbose     print one line per applied plug

        Give ILC the patched copies instead of the originals, and the patched plug assemblies as
        inputs (not only -r:), so that their [RuntimeExport] methods are compiled.
        """;

    public int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error)
    {
        OptionReader? options = OptionReader.Parse(arguments, ValueOptions, FlagOptions, out string? problem);
        problem ??= Validate(options!);
        if (problem is not null)
        {
            Diagnostic.Usage($"cosmos patch: {problem}").WriteTo(error);
            error.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        var patchOptions = new PatchOptions(
            options!.Values("plugs"),
            options.Values("targets"),
            options.Values("references"),
            options.Values("out")[0]);
        PatchResult result = PlugPatcher.Patch(patchOptions);
        foreach (Diagnostic diagnostic in result.Diagnostics)
        {
            diagnostic.WriteTo(error);
        }

        if (!result.Succeeded)
        {
            return ExitCodes.Failed;
        }

        if (options.Has("verbose"))
        {
            foreach (AppliedPlug plug in result.Applied)
            {
                output.WriteLine(plug.ToString());
            }
        }

        return ExitCodes.Success;
    }

    private static string? Validate(OptionReader options)
    {
        if (options.Values("plugs").Count == 0)
        {
            return "--plugs needs at least one assembly";
        }

        if (options.Values("targets").Count == 0)
        {
            return "--targets needs at least one folder or assembly";
        }

        if (options.Values("out").Count != 1)
        {
            return "--out needs exactly one folder";
        }

        return null;
    }
}
