using System.Collections.Generic;
using System.IO;

namespace Cosmos.Build.Cli;

/// <summary>
/// Expands <c>@file</c> arguments: one argument per line, blank lines and lines starting with
/// <c>#</c> skipped. Build scripts pass hundreds of assembly paths this way.
/// </summary>
public static class ResponseFiles
{
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> args)
    {
        var expanded = new List<string>(args.Count);
        foreach (string arg in args)
        {
            if (arg.Length > 1 && arg[0] == '@')
            {
                string path = arg.Substring(1);
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"response file '{path}' does not exist");
                }

                foreach (string line in File.ReadAllLines(path))
                {
                    string trimmed = line.Trim();
                    if (trimmed.Length > 0 && trimmed[0] != '#')
                    {
                        expanded.Add(trimmed);
                    }
                }
            }
            else
            {
                expanded.Add(arg);
            }
        }

        return expanded;
    }
}
