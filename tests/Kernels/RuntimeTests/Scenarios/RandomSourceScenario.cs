using System;
using System.Security.Cryptography;

namespace RuntimeTests.Scenarios
{
    /// <summary>
    /// test=random: which instruction backs RandomNumberGenerator, and what a program sees from it. Booted on a CPU
    /// model with and without RDRAND/RDSEED: with, 32 bytes that are not all zero; without, the kernel's own
    /// explanation on COM1 and a CryptographicException, never predictable bytes.
    /// </summary>
    internal static class RandomSourceScenario
    {
        public static void Run()
        {
            Console.WriteLine($"[scenario] random source: {Cosmos.Core.Pal.SecureRandom.Source ?? "none"}");
            try
            {
                byte[] bytes = RandomNumberGenerator.GetBytes(32);
                Console.WriteLine($"[scenario] random bytes: {Convert.ToHexString(bytes)}");
            }
            catch (CryptographicException exception)
            {
                Console.WriteLine($"[scenario] random failed: CryptographicException: {exception.Message}");
            }

            Cosmos.Core.Power.Exit(16);
        }
    }
}
