using Cosmos.TestKit;

namespace GcTests
{
    /// <summary>Runs the collector checks and reports them on COM1 (see tests/Kernels/README.md).</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            var tests = new TestRunner();
            SurvivalChecks.Add(tests);
            ReclaimChecks.Add(tests);
            PressureChecks.Add(tests);
            tests.RunAndExit();
        }

        protected override void Run()
        {
        }
    }
}
