using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands
{
    /// <summary><c>help</c>: lists the commands.</summary>
    public sealed class HelpCommand : IShellCommand
    {
        private readonly CommandShell _shell;

        public HelpCommand(CommandShell shell) => _shell = shell;

        public string Name => "help";

        public string Summary => "help                 list the commands";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            foreach (IShellCommand command in _shell.Commands.Values.OrderBy(c => c.Name, System.StringComparer.Ordinal))
            {
                output.WriteLine("  " + command.Summary);
            }

            return 0;
        }
    }
}
