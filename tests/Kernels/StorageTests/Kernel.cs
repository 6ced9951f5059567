using System;
using Cosmos.Core.Boot;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// Runs one storage scenario, chosen by the host on the command line: <c>scenario=read</c>
    /// (<see cref="ReadChecks"/>), <c>write</c> (<see cref="WriteChecks"/>), <c>corrupt</c>
    /// (<see cref="CorruptChecks"/>) or <c>readonly</c> (<see cref="ReadOnlyChecks"/>); <c>powercut</c> writes files until the
    /// host kills QEMU (<see cref="PowerCutLoop"/>); <c>ahci-read</c> and
    /// <c>ahci-write</c> run the read and write checks on AHCI disks. Disks are found by their serial; besides the test protocol the kernel prints the
    /// <see cref="VolumeListing"/> lines the host compares with its own view of the images.
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            string scenario = Argument(BootInfo.Current.CommandLine, "scenario") ?? "";
            var disks = new TestDisks(Devices, Files);
            var tests = new TestRunner();
            switch (scenario)
            {
                case "read":
                case "ahci-read":
                    ReadChecks.Add(tests, disks);
                    break;
                case "write":
                case "ahci-write":
                    WriteChecks.Add(tests, disks);
                    break;
                case "corrupt":
                    CorruptChecks.Add(tests, disks);
                    break;
                case "readonly":
                    ReadOnlyChecks.Add(tests, disks);
                    break;
                case "powercut":
                    // Not checks: a loop the host cuts short (PowerCutTests checks the image afterwards).
                    PowerCutLoop.Run(disks, int.Parse(Argument(BootInfo.Current.CommandLine, "start") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    tests.Add("scenario-known", () => Assert.Fail($"scenario=\"{scenario}\" is not read, write, corrupt or readonly"));
                    break;
            }

            tests.RunAndExit();
        }

        protected override void Run() => Stop();

        private static string? Argument(string commandLine, string key)
        {
            foreach (string word in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith(key + "=", StringComparison.Ordinal))
                {
                    return word[(key.Length + 1)..];
                }
            }

            return null;
        }
    }
}
