using System;
using Cosmos.Core.Boot;
using Cosmos.System.Shell;
using CosmosKernel.Commands;
using CosmosKernel.Commands.Net;

namespace CosmosKernel
{
    /// <summary>The OS that ships: a banner, then the shell on the console.</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        private readonly CommandShell _shell = new();

        protected override void BeforeRun()
        {
            BootInfo boot = BootInfo.Current;
            Console.WriteLine("CosmosKernel 0.1 - a C# operating system on NativeAOT");
            Console.WriteLine($"Booted via {boot.Protocol} ({boot.LoaderName}), {boot.UsableMemoryBytes / (1024 * 1024)} MiB usable memory");
            if (boot.CommandLine.Length > 0)
            {
                Console.WriteLine($"Command line: {boot.CommandLine}");
            }

            _shell.Register(new HelpCommand(_shell));
            _shell.Register(new EchoCommand());
            _shell.Register(new MemCommand());
            _shell.Register(new UptimeCommand());
            _shell.Register(new RebootCommand());
            _shell.Register(new ShutdownCommand());
            _shell.Register(new LsdevCommand(Devices));
            _shell.Register(new LspciCommand(Devices));
            _shell.Register(new LsslotCommand(Devices));
            var files = new ShellFiles(Files);
            _shell.Register(new MountCommand(files));
            _shell.Register(new DfCommand(files));
            _shell.Register(new LsCommand());
            _shell.Register(new CdCommand());
            _shell.Register(new PwdCommand());
            _shell.Register(new CatCommand());
            _shell.Register(new HexdumpCommand());
            _shell.Register(new Sha256Command());
            _shell.Register(new WriteCommand());
            _shell.Register(new CpCommand());
            _shell.Register(new MvCommand());
            _shell.Register(new RmCommand());
            _shell.Register(new MkdirCommand());
            _shell.Register(new RmdirCommand());
            _shell.Register(new SyncCommand());
            _shell.Register(new IfconfigCommand(Network));
            _shell.Register(new IfconfigCommand(Network, "ip"));
            _shell.Register(new PingCommand(Network));
            _shell.Register(new NslookupCommand(Network));
            _shell.Register(new HttpdCommand(Network));
            _shell.Register(new WgetCommand(Network));
            _shell.Register(new NcCommand(Network));
            _shell.Register(new DemoCommand(() => Screen));
            _shell.Register(new EvtestCommand(Input));
            _shell.Register(new KeymapCommand(Input));
            _shell.Register(new FbbenchCommand(() => Screen));
            Console.WriteLine($"Ready in {Environment.TickCount64} ms. Type 'help' for the list of commands.");
        }

        protected override void Run()
        {
            Console.Write(_shell.Prompt);
            string? line = Console.ReadLine();
            if (line == null)
            {
                Stop();
                return;
            }

            _shell.Execute(line, Console.Out);
        }
    }
}
