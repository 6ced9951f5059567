using System;
using System.Runtime.CompilerServices;

namespace RuntimeTests.Scenarios
{
    /// <summary>
    /// test=fault: a write through a wild, non-null pointer (canonical but unmapped: above the
    /// identity-mapped 4 GiB) from managed code. Not a NullReferenceException: the kernel must
    /// print the fault report with registers and exit with code 4.
    /// </summary>
    internal static unsafe class CpuFaultScenario
    {
        public const ulong WildAddress = 0x00000DEAD0000000;

        public static void Run()
        {
            Console.WriteLine("[scenario] writing through a wild pointer");
            CallerOfFaultingMethod((int*)Opaque.Value(WildAddress));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CallerOfFaultingMethod(int* pointer) => WriteThroughWildPointer(pointer, 0x1234);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void WriteThroughWildPointer(int* pointer, int value) => *pointer = value;
    }
}
