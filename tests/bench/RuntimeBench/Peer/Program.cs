using System;
using System.Globalization;
using System.IO;

namespace RuntimeBench
{
    /// <summary>Prints the runtime figures as <c>RESULT name value</c> lines; arguments as the kernel's command line.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            BenchSettings settings = BenchSettings.Parse(args);
            if (File.Exists("/proc/stat"))
            {
                settings.SwitchCounter = SystemContextSwitches;
            }

            RuntimeBenchmarks.Run(settings, Console.WriteLine);
            Console.WriteLine("RESULT-END");
            return 0;
        }

        // The "ctxt N" line of /proc/stat: context switches on every CPU since boot (proc(5)).
        private static long SystemContextSwitches()
        {
            foreach (string line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("ctxt ", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }
    }
}
