using System.Runtime.InteropServices;

namespace Cosmos.Core.Pal
{
    /// <summary>
    /// SystemNative_GetCryptographicallySecureRandomBytes (Guid.NewGuid, RandomNumberGenerator,
    /// hash seeds) from the CPU's RDRAND generator. Without RDRAND there is no entropy source the
    /// kernel can vouch for, so the call fails (-1) and the class library reports it, rather
    /// than handing out predictable bytes as secure ones.
    /// </summary>
    internal static unsafe class SecureRandom
    {
        private const uint CpuIdFeatures = 1;
        private const uint RdrandBit = 1u << 30;        // CPUID.01H:ECX.RDRAND (Intel SDM vol. 2, CPUID)

        private static int s_available;                 // 0 unknown, 1 yes, -1 no

        private static bool IsAvailable()
        {
            if (s_available == 0)
            {
                uint* registers = stackalloc uint[4];
                Native.CpuId(CpuIdFeatures, 0, registers);
                s_available = (registers[2] & RdrandBit) != 0 ? 1 : -1;
            }

            return s_available > 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetCryptographicallySecureRandomBytes")]
        private static int GetCryptographicallySecureRandomBytes(byte* buffer, int length)
        {
            if (!IsAvailable())
            {
                return -1;
            }

            ulong value;
            for (int i = 0; i < length; i += 8)
            {
                if (!Native.ReadRandom(&value))
                {
                    return -1;
                }

                for (int b = 0; b < 8 && i + b < length; b++)
                {
                    buffer[i + b] = (byte)(value >> (8 * b));
                }
            }

            return 0;
        }
    }
}
