using System;
using System.Collections.Generic;

namespace Cosmos.Build.Cli;

/// <summary>
/// Parses <c>--name value value … --flag</c>: an option takes every following argument up to the
/// next one that starts with <c>--</c>. Options not declared are an error.
/// </summary>
public sealed class OptionReader
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private OptionReader()
    {
    }

    /// <summary>Parses <paramref name="arguments"/>; returns null and sets <paramref name="problem"/> on error.</summary>
    public static OptionReader? Parse(
        IReadOnlyList<string> arguments,
        IReadOnlyCollection<string> valueOptions,
        IReadOnlyCollection<string> flagOptions,
        out string? problem)
    {
        var reader = new OptionReader();
        List<string>? current = null;
        foreach (string argument in arguments)
        {
            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                string name = argument.Substring(2);
                if (Contains(flagOptions, name))
                {
                    reader._flags.Add(name);
                    current = null;
                }
                else if (Contains(valueOptions, name))
                {
                    if (!reader._values.TryGetValue(name, out current))
                    {
                        current = new List<string>();
                        reader._values.Add(name, current);
                    }
                }
                else
                {
                    problem = $"unknown option '{argument}'";
                    return null;
                }
            }
            else if (current is null)
            {
                problem = $"unexpected argument '{argument}'";
                return null;
            }
            else
            {
                current.Add(argument);
            }
        }

        problem = null;
        return reader;
    }

    public IReadOnlyList<string> Values(string name) =>
        _values.TryGetValue(name, out List<string>? values) ? values : Array.Empty<string>();

    public bool Has(string name) => _flags.Contains(name) || _values.ContainsKey(name);

    private static bool Contains(IReadOnlyCollection<string> names, string name)
    {
        foreach (string candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
