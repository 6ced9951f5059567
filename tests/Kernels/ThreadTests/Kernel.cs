using Cosmos.TestKit;

namespace ThreadTests
{
    /// <summary>Runs the threading checks and reports them on COM1 (see tests/Kernels/README.md).</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            var tests = new TestRunner();
            HandleChecks.Add(tests);
            ThreadChecks.Add(tests);
            LockChecks.Add(tests);
            TaskChecks.Add(tests);
            CollectorChecks.Add(tests);
            tests.RunAndExit();
        }

        protected override void Run()
        {
        }
    }
}
