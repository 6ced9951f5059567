using System;
using System.Diagnostics;

namespace DebugTests
{
    /// <summary>
    /// Runs <see cref="Target.Inspect"/> once and reports its result on COM1, then exits with status 33.
    /// With <c>debug-break</c> on the command line it first stops in the debugger (Debugger.Break), so a gdb
    /// attached to the kernel's stub can set its breakpoints before the target runs.
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            Console.WriteLine("DEBUG-READY");
            if (Cosmos.Core.Boot.BootInfo.Current.CommandLine.Contains("debug-break", StringComparison.Ordinal))
            {
                Debugger.Break();
                Console.WriteLine("DEBUG-RESUMED");
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
