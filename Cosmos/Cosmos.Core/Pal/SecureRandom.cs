using System.Runtime.InteropServices;
using Cosmos.Core.IO;

namespace Cosmos.Core.Pal
{
    /// <summary>
    /// SystemNative_GetCryptographicallySecureRandomBytes (Guid.NewGuid, RandomNumberGenerator, hash seeds) from
    /// the CPU's random number generator: RDRAND, or RDSEED where only that exists. Without either there is no
    /// entropy source the kernel can vouch for: the call fails (-1), the class library reports it, and the kernel
    /// says once on COM1 why, rather than handing out predictable bytes as secure ones.
    /// </summary>
    public static unsafe class SecureRandom
    {
        private const uint RdrandBit = 1u << 30;        // CPUID.01H:ECX.RDRAND (Intel SDM vol. 2, CPUID)
        private const uint RdseedBit = 1u << 18;        // CPUID.(EAX=07H,ECX=0):EBX.RDSEED

        private static int s_source;                    // 0 unknown, 1 RDRAND, 2 RDSEED, -1 none

        /// <summary>Which instruction supplies the bytes: "RDRAND", "RDSEED" or null when the CPU has neither.</summary>
        public static string? Source => DetectSource() switch
        {
            1 => "RDRAND",
            2 => "RDSEED",
            _ => null,
        };

        private static int DetectSource()
        {
            if (s_source == 0)
            {
                uint* registers = stackalloc uint[4];
                Native.CpuId(1, 0, registers);
                bool rdrand = (registers[2] & RdrandBit) != 0;
                Native.CpuId(0, 0, registers);
                bool rdseed = false;
                if (registers[0] >= 7)
                {
                    Native.CpuId(7, 0, registers);
                    rdseed = (registers[1] & RdseedBit) != 0;
                }

                s_source = rdrand ? 1 : rdseed ? 2 : -1;
                if (s_source < 0)
                {
                    SerialPort.WriteAscii(SerialPort.Com1,
                        "[random] the CPU has neither RDRAND nor RDSEED: no secure random bytes (RandomNumberGenerator and Guid.NewGuid fail)\n");
                }
            }

            return s_source;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetCryptographicallySecureRandomBytes")]
        private static int GetCryptographicallySecureRandomBytes(byte* buffer, int length) => TryFill(buffer, length) ? 0 : -1;

        /// <summary>Fills <paramref name="length"/> bytes at <paramref name="buffer"/> from the CPU; false when it has no generator or it ran dry.</summary>
        public static bool TryFill(byte* buffer, int length)
        {
            int source = DetectSource();
            if (source < 0 || length < 0)
            {
                return false;
            }

            ulong value;
            for (int i = 0; i < length; i += 8)
            {
                if (!(source == 1 ? Native.ReadRandom(&value) : Native.ReadRandomSeed(&value)))
                {
                    return false;
                }

                for (int b = 0; b < 8 && i + b < length; b++)
                {
                    buffer[i + b] = (byte)(value >> (8 * b));
                }
            }

            return true;
        }
    }
}
