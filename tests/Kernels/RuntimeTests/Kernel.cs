using Cosmos.Core.Boot;
using Cosmos.TestKit;
using RuntimeTests.Checks;
using RuntimeTests.Scenarios;

namespace RuntimeTests
{
    /// <summary>
    /// The runtime test kernel. Without a <c>test=</c> argument it runs every check and ends QEMU
    /// with the TestKit's exit code; <c>test=unhandled</c>, <c>test=fault</c>, <c>test=missing</c>, <c>test=stackoverflow</c>, <c>test=writecode</c> and <c>test=execdata</c> run the crash
    /// scenarios, whose panic reports the host tests read.
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            KernelStart.TimestampCounter = Cosmos.Core.Native.ReadTimestampCounter();
            string scenario = KernelArguments.Get(BootInfo.Current.CommandLine, "test") ?? "checks";
            switch (scenario)
            {
                case "unhandled":
                    UnhandledExceptionScenario.Run();
                    break;
                case "fault":
                    CpuFaultScenario.Run();
                    break;
                case "missing":
                    MissingExportScenario.Run();
                    break;
                case "stackoverflow":
                    StackOverflowScenario.Run();
                    break;
                case "random":
                    RandomSourceScenario.Run();
                    break;
                case "writecode":
                    PageRightsScenario.WriteIntoCode();
                    break;
                case "execdata":
                    PageRightsScenario.ExecuteData();
                    break;
                case "checks":
                    RunChecks();
                    break;
                default:
                    System.Console.WriteLine($"[runtime-tests] unknown scenario test={scenario}; known: checks, unhandled, fault, missing, stackoverflow, random, writecode, execdata");
                    Cosmos.Core.Power.Exit(TestProtocol.ExitCodeSomeFailed);
                    break;
            }
        }

        protected override void Run() => Stop();

        private static void RunChecks()
        {
            var tests = new TestRunner();
            AllocationChecks.Register(tests);
            BoxingChecks.Register(tests);
            CastingChecks.Register(tests);
            ArrayChecks.Register(tests);
            GenericChecks.Register(tests);
            StaticConstructorChecks.Register(tests);
            RuntimeServiceChecks.Register(tests);
            TimeChecks.Register(tests);
            DelegateChecks.Register(tests);
            DispatchChecks.Register(tests);
            FormattingChecks.Register(tests);
            StringBuilderChecks.Register(tests);
            CollectionChecks.Register(tests);
            LinqChecks.Register(tests);
            SpanChecks.Register(tests);
            MathChecks.Register(tests);
            ExceptionFlowChecks.Register(tests);
            ExceptionPropagationChecks.Register(tests);
            HardwareExceptionChecks.Register(tests);
            ExceptionInfoChecks.Register(tests);
            CryptographyChecks.Register(tests);
            GcRootChecks.Register(tests);
            PageRightsChecks.Register(tests);
            tests.RunAndExit();
        }
    }
}
