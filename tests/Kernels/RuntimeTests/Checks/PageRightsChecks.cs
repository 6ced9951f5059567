using System.Runtime.CompilerServices;
using Cosmos.Core.Memory;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// The rights the page tables give each kind of memory (Paging.ProtectKernelImage): code read-only
    /// and executable, constant data read-only and not executable, statics, heap and stacks writable and
    /// not executable. Read back through the page tables the CPU uses; the faults that enforce them are
    /// the test=writecode and test=execdata scenarios.
    /// </summary>
    internal static unsafe class PageRightsChecks
    {
        private static int s_static;

        public static void Register(TestRunner tests)
        {
            tests.Add("paging.kernel-image-protected-at-boot", () =>
                Assert.True(Paging.KernelImageProtected, "Paging.ProtectKernelImage ran at boot"));

            tests.Add("paging.code-is-read-only-and-executable", () =>
            {
                delegate*<int, int> method = &Increment;
                ExpectRights((ulong)method, "kernel code", writable: false, executable: true);
            });

            tests.Add("paging.constant-data-is-read-only-and-not-executable", () =>
            {
                // A u8 literal is RVA data: ILC puts it with the other constants.
                fixed (byte* constant = "page rights"u8)
                {
                    ExpectRights((ulong)constant, "kernel read-only data", writable: false, executable: false);
                }
            });

            tests.Add("paging.statics-heap-and-stack-are-writable-and-not-executable", () =>
            {
                fixed (int* field = &s_static)
                {
                    ExpectRights((ulong)field, "kernel data", writable: true, executable: false);
                }

                byte[] heap = new byte[64];
                fixed (byte* element = heap)
                {
                    ExpectRights((ulong)element, null, writable: true, executable: false);
                }

                int local = 0;
                ExpectRights((ulong)&local, null, writable: true, executable: false);
            });

            tests.Add("paging.firmware-and-device-memory-are-not-executable", () =>
            {
                // The VGA text buffer and the BIOS area below the kernel, and the local APIC's registers.
                ExpectRights(0xB8000, null, writable: true, executable: false);
                ExpectRights(0xFEE00000, null, writable: true, executable: false);
            });
        }

        private static void ExpectRights(ulong address, string? region, bool writable, bool executable)
        {
            Assert.True(Paging.TryTranslate(address, out _, out ulong flags), $"0x{address:x} is mapped");
            string? seen = Paging.KernelRegionOf(address);
            if (region != null)
            {
                Assert.Equal(region, seen ?? "outside the kernel image", $"the region of 0x{address:x}");
            }

            Assert.Equal(writable, (flags & PageFlags.Writable) != 0, $"0x{address:x} ({seen}) writable");
            Assert.Equal(executable, (flags & PageFlags.NoExecute) == 0, $"0x{address:x} ({seen}) executable");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Increment(int value) => value + 1;
    }
}
