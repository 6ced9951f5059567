using System;
using System.Runtime.CompilerServices;

namespace RuntimeTests.Scenarios
{
    /// <summary>
    /// test=writecode: a write into the kernel's own code; test=execdata: a call into a heap array
    /// holding a <c>ret</c>. Both break the page's rights (code is read-only, data is no-execute), so
    /// each must end in the fault report naming the violated right and the region, exit code 4; the
    /// line after the attempt must never print.
    /// </summary>
    internal static unsafe class PageRightsScenario
    {
        public static void WriteIntoCode()
        {
            delegate*<int, int> target = &Victim;
            Console.WriteLine($"[scenario] writing into kernel code at 0x{(ulong)target:x16}");
            *(byte*)Opaque.Value((nint)target) = 0xCC;
            Console.WriteLine("[scenario] the write into code went through");
        }

        public static void ExecuteData()
        {
            byte[] code = [0xC3];          // ret
            fixed (byte* entry = code)
            {
                Console.WriteLine($"[scenario] calling into heap data at 0x{(ulong)entry:x16}");
                ((delegate* unmanaged<void>)Opaque.Value((nint)entry))();
            }

            Console.WriteLine("[scenario] the heap data ran as code");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Victim(int value) => value + 1;
    }
}
