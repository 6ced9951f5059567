using System.Collections.Generic;
using System.IO;

namespace CosmosKernel.Commands
{
    /// <summary><c>echo</c>: prints its arguments.</summary>
    public sealed class EchoCommand : Cosmos.System.Shell.IShellCommand
    {
        public string Name => "echo";

        public string Summary => "echo [WORD...]       print the words, separated by spaces";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            output.WriteLine(string.Join(' ', arguments));
            return 0;
        }
    }
}
