using System;
using System.Runtime.InteropServices;
using Cosmos.System.Cryptography;
using static Cosmos.Plugs.Crypto.CryptoNativeErrors;

namespace Cosmos.Plugs.Crypto
{
    /// <summary>
    /// libSystem.Security.Cryptography.Native.OpenSsl's message-digest calls (EVP_MD, EVP_MD_CTX) over
    /// <see cref="MessageDigest"/>: SHA256.HashData, SHA256.Create().ComputeHash, IncrementalHash and
    /// their MD5, SHA-1, SHA-384 and SHA-512 siblings run unmodified on top. An EVP_MD* is a sentinel
    /// naming the algorithm (the class library only hands it back to us); an EVP_MD_CTX* is a GCHandle
    /// to a <see cref="MessageDigest"/>. Int-returning calls give 1 on success and 0 on failure, with
    /// the reason in <see cref="CryptoNativeErrors"/>, as OpenSSL's do.
    /// </summary>
    internal static unsafe class CryptoNativeDigests
    {
        private const int Success = 1;

        // EVP_MD* values: never dereferenced, so any non-zero number will do. These read "D16E5"
        // (digest) in a register dump, with the DigestAlgorithm in the low byte.
        private const nint EvpMdBase = 0x0D16E500;

        internal static nint EvpMdOf(DigestAlgorithm algorithm) => EvpMdBase + (nint)algorithm;

        internal static bool TryGetAlgorithm(nint evpMd, out DigestAlgorithm algorithm)
        {
            nint offset = evpMd - EvpMdBase;
            bool known = offset >= (nint)DigestAlgorithm.Md5 && offset <= (nint)DigestAlgorithm.Sha512;
            algorithm = known ? (DigestAlgorithm)offset : default;
            return known;
        }

        private static MessageDigest? ContextOf(nint context) =>
            context == 0 ? null : GCHandle.FromIntPtr(context).Target as MessageDigest;

        private static nint NewContext(MessageDigest digest) => GCHandle.ToIntPtr(GCHandle.Alloc(digest));

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpMd5")]
        private static nint EvpMd5() => EvpMdOf(DigestAlgorithm.Md5);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha1")]
        private static nint EvpSha1() => EvpMdOf(DigestAlgorithm.Sha1);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha256")]
        private static nint EvpSha256() => EvpMdOf(DigestAlgorithm.Sha256);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha384")]
        private static nint EvpSha384() => EvpMdOf(DigestAlgorithm.Sha384);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha512")]
        private static nint EvpSha512() => EvpMdOf(DigestAlgorithm.Sha512);

        // SHA-3 and SHAKE are not implemented. A null EVP_MD is how an OpenSSL without them answers,
        // and the class library reads it as SHA3_256.IsSupported == false (and so on), never calling further.
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha3_256")]
        private static nint EvpSha3_256() => 0;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha3_384")]
        private static nint EvpSha3_384() => 0;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpSha3_512")]
        private static nint EvpSha3_512() => 0;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpShake128")]
        private static nint EvpShake128() => 0;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpShake256")]
        private static nint EvpShake256() => 0;

        /// <summary>EVP_MAX_MD_SIZE.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_GetMaxMdSize")]
        private static int GetMaxMdSize() => MessageDigest.MaxDigestSize;

        /// <summary>EVP_MD_get_size: the digest length, or -1 for a handle that is not a digest.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpMdSize")]
        private static int EvpMdSize(nint evpMd) => TryGetAlgorithm(evpMd, out DigestAlgorithm algorithm) ? MessageDigest.SizeOf(algorithm) : -1;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpMdCtxCreate")]
        private static nint EvpMdCtxCreate(nint evpMd)
        {
            Clear();
            if (!TryGetAlgorithm(evpMd, out DigestAlgorithm algorithm))
            {
                return Fail(Reason.UnknownDigest);
            }

            return NewContext(MessageDigest.Create(algorithm));
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpMdCtxDestroy")]
        private static void EvpMdCtxDestroy(nint context)
        {
            if (context != 0)
            {
                GCHandle.FromIntPtr(context).Free();
            }
        }

        /// <summary>EVP_DigestInit_ex on a used context: starts over, with another algorithm if asked.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestReset")]
        private static int EvpDigestReset(nint context, nint evpMd)
        {
            Clear();
            if (ContextOf(context) is not MessageDigest digest)
            {
                return Fail(Reason.InvalidContext);
            }

            if (!TryGetAlgorithm(evpMd, out DigestAlgorithm algorithm))
            {
                return Fail(Reason.UnknownDigest);
            }

            if (digest.Algorithm == algorithm)
            {
                digest.Reset();
            }
            else
            {
                GCHandle handle = GCHandle.FromIntPtr(context);
                handle.Target = MessageDigest.Create(algorithm);
            }

            return Success;
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestUpdate")]
        private static int EvpDigestUpdate(nint context, byte* data, int count)
        {
            if (ContextOf(context) is not MessageDigest digest)
            {
                return Fail(Reason.InvalidContext);
            }

            if (count < 0 || (data == null && count != 0))
            {
                return Fail(Reason.InvalidArgument);
            }

            digest.Append(new ReadOnlySpan<byte>(data, count));
            return Success;
        }

        /// <summary>
        /// EVP_DigestFinal_ex: <paramref name="digestOut"/> must hold the digest's size (the class library
        /// sizes it with EvpMdSize); <paramref name="digestLength"/>, if given, receives that size.
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestFinalEx")]
        private static int EvpDigestFinalEx(nint context, byte* digestOut, uint* digestLength)
        {
            Clear();
            return ContextOf(context) is MessageDigest digest ? Finish(digest, digestOut, digestLength) : Fail(Reason.InvalidContext);
        }

        /// <summary>The digest so far, leaving the context able to take more.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestCurrent")]
        private static int EvpDigestCurrent(nint context, byte* digestOut, uint* digestLength)
        {
            Clear();
            return ContextOf(context) is MessageDigest digest ? Finish(digest.Clone(), digestOut, digestLength) : Fail(Reason.InvalidContext);
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpMdCtxCopyEx")]
        private static nint EvpMdCtxCopyEx(nint context) =>
            ContextOf(context) is MessageDigest digest ? NewContext(digest.Clone()) : Fail(Reason.InvalidContext);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestOneShot")]
        private static int EvpDigestOneShot(nint evpMd, byte* source, int sourceLength, byte* digestOut, uint* digestLength)
        {
            Clear();
            if (!TryGetAlgorithm(evpMd, out DigestAlgorithm algorithm))
            {
                return Fail(Reason.UnknownDigest);
            }

            if (sourceLength < 0 || (source == null && sourceLength != 0) || digestLength == null)
            {
                return Fail(Reason.InvalidArgument);
            }

            MessageDigest digest = MessageDigest.Create(algorithm);
            digest.Append(new ReadOnlySpan<byte>(source, sourceLength));
            return Finish(digest, digestOut, digestLength);
        }

        private static int Finish(MessageDigest digest, byte* digestOut, uint* digestLength)
        {
            if (digestOut == null)
            {
                return Fail(Reason.InvalidArgument);
            }

            digest.Finish(new Span<byte>(digestOut, digest.DigestSize));
            if (digestLength != null)
            {
                *digestLength = (uint)digest.DigestSize;
            }

            return Success;
        }

        // The extendable-output calls: only SHAKE is an XOF, and CryptoNative_EvpShake128/256 report
        // it unsupported, so no context here can answer them. OpenSSL fails the same way on a non-XOF digest.
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestFinalXOF")]
        private static int EvpDigestFinalXOF(nint context, byte* output, uint length) => Fail(Reason.NotExtendableOutput);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestCurrentXOF")]
        private static int EvpDigestCurrentXOF(nint context, byte* output, uint length) => Fail(Reason.NotExtendableOutput);

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestXOFOneShot")]
        private static int EvpDigestXOFOneShot(nint evpMd, byte* source, int sourceLength, byte* output, uint length) =>
            Fail(TryGetAlgorithm(evpMd, out _) ? Reason.NotExtendableOutput : Reason.UnknownDigest);

        /// <summary>EVP_DigestSqueeze (OpenSSL 3.3): reports the feature absent, as an older OpenSSL does.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EvpDigestSqueeze")]
        private static int EvpDigestSqueeze(nint context, byte* output, uint length, int* haveFeature)
        {
            if (haveFeature != null)
            {
                *haveFeature = 0;
            }

            return 0;
        }
    }
}
