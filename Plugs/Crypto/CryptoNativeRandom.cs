using System.Runtime.InteropServices;
using Cosmos.Core.Pal;

namespace Cosmos.Plugs.Crypto
{
    /// <summary>
    /// RandomNumberGenerator's source on Linux: the OpenSSL shim's RAND_bytes (CryptoNative_GetRandomBytes, 1 on
    /// success), answered from the CPU's generator like SystemNative_GetCryptographicallySecureRandomBytes.
    /// </summary>
    internal static unsafe class CryptoNativeRandom
    {
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_GetRandomBytes")]
        private static int GetRandomBytes(byte* buffer, int length) =>
            SecureRandom.TryFill(buffer, length) ? 1 : CryptoNativeErrors.Fail(CryptoNativeErrors.Reason.NoRandomSource);
    }
}
