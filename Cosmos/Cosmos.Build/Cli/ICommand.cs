using System.Collections.Generic;
using System.IO;

namespace Cosmos.Build.Cli;

/// <summary>One subcommand of the <c>cosmos</c> tool (<c>cosmos patch …</c>).</summary>
public interface ICommand
{
    /// <summary>The word that selects the command.</summary>
    string Name { get; }

    /// <summary>One line for <c>cosmos help</c>.</summary>
    string Summary { get; }

    /// <summary>Usage text shown by <c>cosmos help NAME</c> and on a usage error.</summary>
    string Usage { get; }

    /// <summary>Runs the command; returns the process exit code.</summary>
    int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error);
}
