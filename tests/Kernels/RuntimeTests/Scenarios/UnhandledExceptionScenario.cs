using System;
using System.Runtime.CompilerServices;

namespace RuntimeTests.Scenarios
{
    /// <summary>
    /// test=unhandled: an exception that nothing catches, thrown three calls deep. The kernel must
    /// print the panic report (type, message, the methods on the stack) and exit with code 5.
    /// </summary>
    internal static class UnhandledExceptionScenario
    {
        public const string Message = "unhandled on purpose (runtime test scenario)";

        public static void Run()
        {
            Console.WriteLine("[scenario] throwing an exception nothing catches");
            OuterFrame(7);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OuterFrame(int depth) => MiddleFrame(depth + 1);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MiddleFrame(int depth) => InnermostFrame(depth + 1);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InnermostFrame(int depth)
        {
            if (depth > 0)
            {
                throw new InvalidOperationException(Message);
            }
        }
    }
}
