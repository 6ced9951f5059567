using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace RuntimeTests.Scenarios
{
    /// <summary>
    /// test=stackoverflow: a thread named "deep" recurses without end. Its stack ends in an absent guard page,
    /// so the kernel must stop with a panic that names the thread (exit code 4), not run on into whatever
    /// memory lies below the stack.
    /// </summary>
    internal static class StackOverflowScenario
    {
        public static void Run()
        {
            Console.WriteLine("[scenario] recursing without end on thread 'deep'");
            var thread = new Thread(() => Console.WriteLine(Recurse(1))) { Name = "deep" };
            thread.Start();
            thread.Join();
            Console.WriteLine("[scenario] the recursion returned; it should have overflowed");
        }

        // Not a tail call (the result is used after the call), so every level keeps its frame.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long Recurse(long depth) => depth + Recurse(depth + Opaque.Value(1L));
    }
}
