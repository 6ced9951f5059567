using System;
using System.Runtime.InteropServices;
using Cosmos.System.Cryptography;
using static Cosmos.Plugs.Crypto.CryptoNativeErrors;

namespace Cosmos.Plugs.Crypto
{
    /// <summary>
    /// libSystem.Security.Cryptography.Native.OpenSsl's HMAC calls over <see cref="Hmac"/>: HMACSHA256
    /// (and its MD5, SHA-1, SHA-384, SHA-512 siblings), HMACSHA256.HashData and IncrementalHash.CreateHMAC
    /// run unmodified on top. A context is a GCHandle to an <see cref="Hmac"/>; the digest comes as the
    /// EVP_MD sentinel of <see cref="CryptoNativeDigests"/>. Int-returning calls give 1 on success and 0
    /// on failure, with the reason in <see cref="CryptoNativeErrors"/>.
    /// </summary>
    internal static unsafe class CryptoNativeHmac
    {
        private const int Success = 1;

        private static Hmac? ContextOf(nint context) =>
            context == 0 ? null : GCHandle.FromIntPtr(context).Target as Hmac;

        private static nint NewContext(Hmac hmac) => GCHandle.ToIntPtr(GCHandle.Alloc(hmac));

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacCreate")]
        private static nint HmacCreate(byte* key, int keyLength, nint evpMd)
        {
            Clear();
            if (!CryptoNativeDigests.TryGetAlgorithm(evpMd, out DigestAlgorithm algorithm))
            {
                return Fail(Reason.UnknownDigest);
            }

            if (keyLength < 0 || (key == null && keyLength != 0))
            {
                return Fail(Reason.InvalidArgument);
            }

            return NewContext(new Hmac(algorithm, new ReadOnlySpan<byte>(key, keyLength)));
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacDestroy")]
        private static void HmacDestroy(nint context)
        {
            if (context != 0)
            {
                GCHandle.FromIntPtr(context).Free();
            }
        }

        /// <summary>Starts a new message under the same key.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacReset")]
        private static int HmacReset(nint context)
        {
            Clear();
            if (ContextOf(context) is not Hmac hmac)
            {
                return Fail(Reason.InvalidContext);
            }

            hmac.Reset();
            return Success;
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacUpdate")]
        private static int HmacUpdate(nint context, byte* data, int length)
        {
            Clear();
            if (ContextOf(context) is not Hmac hmac)
            {
                return Fail(Reason.InvalidContext);
            }

            if (length < 0 || (data == null && length != 0))
            {
                return Fail(Reason.InvalidArgument);
            }

            hmac.Append(new ReadOnlySpan<byte>(data, length));
            return Success;
        }

        /// <summary><paramref name="length"/> holds the room at <paramref name="macOut"/> on entry and the code's length on return (EVP_MAC_final).</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacFinal")]
        private static int HmacFinal(nint context, byte* macOut, int* length)
        {
            Clear();
            return ContextOf(context) is Hmac hmac ? Finish(hmac, macOut, length) : Fail(Reason.InvalidContext);
        }

        /// <summary>The code of the message so far, leaving the context able to take more.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacCurrent")]
        private static int HmacCurrent(nint context, byte* macOut, int* length)
        {
            Clear();
            return ContextOf(context) is Hmac hmac ? Finish(hmac.Clone(), macOut, length) : Fail(Reason.InvalidContext);
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacCopy")]
        private static nint HmacCopy(nint context)
        {
            Clear();
            return ContextOf(context) is Hmac hmac ? NewContext(hmac.Clone()) : Fail(Reason.InvalidContext);
        }

        /// <summary>HMAC(): 1 on success, 0 on failure, -1 for a null key with a non-zero length (as the OpenSSL shim answers).</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_HmacOneShot")]
        private static int HmacOneShot(nint evpMd, byte* key, int keyLength, byte* source, int sourceLength, byte* macOut, int* length)
        {
            Clear();
            if (key == null && keyLength != 0)
            {
                return -1;
            }

            if (!CryptoNativeDigests.TryGetAlgorithm(evpMd, out DigestAlgorithm algorithm))
            {
                return Fail(Reason.UnknownDigest);
            }

            if (keyLength < 0 || sourceLength < 0 || (source == null && sourceLength != 0))
            {
                return Fail(Reason.InvalidArgument);
            }

            var hmac = new Hmac(algorithm, new ReadOnlySpan<byte>(key, keyLength));
            hmac.Append(new ReadOnlySpan<byte>(source, sourceLength));
            return Finish(hmac, macOut, length);
        }

        private static int Finish(Hmac hmac, byte* macOut, int* length)
        {
            if (macOut == null || length == null)
            {
                return Fail(Reason.InvalidArgument);
            }

            if (*length < hmac.MacSize)
            {
                return Fail(Reason.BufferTooSmall);
            }

            hmac.Finish(new Span<byte>(macOut, hmac.MacSize));
            *length = hmac.MacSize;
            return Success;
        }
    }
}
