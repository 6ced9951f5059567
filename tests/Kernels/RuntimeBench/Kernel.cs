using System;
using Cosmos.Core;
using Cosmos.Core.Boot;
using Cosmos.Core.Threading;

namespace RuntimeBench
{
    /// <summary>
    /// Prints the runtime figures as <c>RESULT name value</c> lines on COM1, then ends QEMU through
    /// isa-debug-exit with code 16 (QEMU exits with 33). The kernel command line may override the
    /// amounts of work (<c>alloc=N live=N collections=N roundtrips=N</c>).
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        private const byte ExitCodeDone = 16;

        protected override void BeforeRun()
        {
            BenchSettings settings = BenchSettings.Parse(BootInfo.Current.CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            settings.SwitchCounter = () => (long)Scheduler.Switches;
            RuntimeBenchmarks.Run(settings, Console.WriteLine);
            Console.WriteLine("RESULT-END");
            Power.Exit(ExitCodeDone);
        }

        protected override void Run()
        {
        }
    }
}
