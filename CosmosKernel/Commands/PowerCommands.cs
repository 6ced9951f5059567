using System.Collections.Generic;
using System.IO;
using Cosmos.Core;

namespace CosmosKernel.Commands
{
    /// <summary><c>reboot</c>: resets the machine.</summary>
    public sealed class RebootCommand : Cosmos.System.Shell.IShellCommand
    {
        public string Name => "reboot";

        public string Summary => "reboot               restart the machine";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            output.WriteLine("Rebooting.");
            Power.Reboot();
            return 0;
        }
    }

    /// <summary><c>shutdown</c>: powers the machine off.</summary>
    public sealed class ShutdownCommand : Cosmos.System.Shell.IShellCommand
    {
        public string Name => "shutdown";

        public string Summary => "shutdown             power the machine off";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            output.WriteLine("Powering off.");
            Power.Shutdown();
            return 0;
        }
    }
}
