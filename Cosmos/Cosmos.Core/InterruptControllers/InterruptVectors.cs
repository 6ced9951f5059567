using System;

namespace Cosmos.Core.InterruptControllers
{
    /// <summary>
    /// Hands out the IDT vectors devices interrupt on: 0x30-0xEF. Below are the CPU exceptions
    /// and the remapped 8259s' range (spurious IRQ 7/15); above, the local APIC's own vectors.
    /// Blocks for multiple-message MSI are contiguous and aligned to their size, because the
    /// device puts the message number in the low bits of the vector (PCI 3.0 §6.8.1.6).
    /// </summary>
    public static class InterruptVectors
    {
        /// <summary>The first vector handed out.</summary>
        public const int FirstDeviceVector = 0x30;

        /// <summary>The last vector handed out.</summary>
        public const int LastDeviceVector = 0xEF;

        private static readonly bool[] s_used = new bool[256];

        /// <summary>Vectors currently handed out.</summary>
        public static int AllocatedCount
        {
            get
            {
                int count = 0;
                for (int vector = FirstDeviceVector; vector <= LastDeviceVector; vector++)
                {
                    count += s_used[vector] ? 1 : 0;
                }

                return count;
            }
        }

        /// <summary>One free vector.</summary>
        /// <exception cref="InvalidOperationException">All device vectors are in use.</exception>
        public static int Allocate() => TryAllocateBlock(1, out int vector)
            ? vector
            : throw new InvalidOperationException($"no free interrupt vector in 0x{FirstDeviceVector:x}-0x{LastDeviceVector:x}");

        /// <summary>
        /// <paramref name="count"/> (a power of two, 1-32) contiguous free vectors starting at a
        /// multiple of <paramref name="count"/>; false when there is no such block.
        /// </summary>
        public static bool TryAllocateBlock(int count, out int firstVector)
        {
            if (count < 1 || count > 32 || (count & (count - 1)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "a vector block is 1, 2, 4, 8, 16 or 32 vectors");
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                for (int start = FirstDeviceVector; start + count - 1 <= LastDeviceVector; start += count)
                {
                    bool free = true;
                    for (int vector = start; vector < start + count && free; vector++)
                    {
                        free = !s_used[vector];
                    }

                    if (free)
                    {
                        for (int vector = start; vector < start + count; vector++)
                        {
                            s_used[vector] = true;
                        }

                        firstVector = start;
                        return true;
                    }
                }

                firstVector = -1;
                return false;
            }
            finally
            {
                Native.RestoreFlags(flags);
            }
        }

        /// <summary>Returns vectors and removes their handlers.</summary>
        public static void Free(int firstVector, int count = 1)
        {
            for (int vector = firstVector; vector < firstVector + count; vector++)
            {
                if (vector < FirstDeviceVector || vector > LastDeviceVector || !s_used[vector])
                {
                    throw new ArgumentException($"interrupt vector 0x{vector:x} was not allocated");
                }
            }

            for (int vector = firstVector; vector < firstVector + count; vector++)
            {
                Interrupts.SetHandler(vector, null);
                s_used[vector] = false;
            }
        }

        /// <summary>True while <paramref name="vector"/> is handed out.</summary>
        public static bool IsAllocated(int vector) => (uint)vector < 256 && s_used[vector];
    }
}
