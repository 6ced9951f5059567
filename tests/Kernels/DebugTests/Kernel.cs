using System;
using System.Diagnostics;

namespace DebugTests
{
    /// <summary>
    /// Runs <see cref="Target.Inspect"/> once and reports its result on COM1, then exits with status 33.
    /// With <c>debug-break</c> on the command line it first stops in the debugger (Debugger.Break), so a gdb
    /// attached to the kernel's stub can set its breakpoints before the target runs; with <c>debug-wait</c> it
    /// runs until a gdb attaches by itself (Debugger.IsAttached).
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            Console.WriteLine("DEBUG-READY");
            string commandLine = Cosmos.Core.Boot.BootInfo.Current.CommandLine;
            if (commandLine.Contains("debug-break", StringComparison.Ordinal))
            {
                Debugger.Break();
                Console.WriteLine("DEBUG-RESUMED");
            }

            if (commandLine.Contains("debug-wait", StringComparison.Ordinal))
            {
                // Runs (and sleeps) until gdb attaches to the stub by itself: the stub notices gdb's bytes at a
                // device interrupt and stops the kernel wherever it was.
                while (!Debugger.IsAttached)
                {
                    System.Threading.Thread.Sleep(5);
                }

                Console.WriteLine("DEBUG-ATTACHED");
            }

            int result = Target.Inspect(42, "cosmos");
            Console.WriteLine($"DEBUG-RESULT {result}");
            Cosmos.Core.Power.Exit(16);
        }

        protected override void Run()
        {
        }
    }
}
