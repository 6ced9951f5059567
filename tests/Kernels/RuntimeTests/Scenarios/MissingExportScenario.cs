using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace RuntimeTests.Scenarios
{
    /// <summary>
    /// test=missing: calls a runtime export that nothing implements. The build links a stub for
    /// it, and calling the stub must panic naming the symbol (QEMU exit 7), never return.
    /// </summary>
    internal static class MissingExportScenario
    {
        public const string Symbol = "__cosmos_test_export_nobody_implements";

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport(Symbol)]
        private static extern int NobodyImplementsThis(int value);

        public static void Run()
        {
            Console.WriteLine("[scenario] calling an export nobody implements");
            int result = NobodyImplementsThis(42);
            Console.WriteLine($"[scenario] the missing export returned {result}: it should have panicked");
        }
    }
}
