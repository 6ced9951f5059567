using System.Collections.Generic;
using System.IO;

namespace Cosmos.System.Shell
{
    /// <summary>A command the shell can run.</summary>
    public interface IShellCommand
    {
        /// <summary>The word that runs it.</summary>
        string Name { get; }

        /// <summary>One line for <c>help</c>: usage and what it does.</summary>
        string Summary { get; }

        /// <summary>Runs with the words after the command name; returns an exit status (0 = success).</summary>
        int Execute(IReadOnlyList<string> arguments, TextWriter output);
    }
}
