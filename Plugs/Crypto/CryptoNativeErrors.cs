using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Cosmos.Plugs.Crypto
{
    /// <summary>
    /// libSystem.Security.Cryptography.Native.OpenSsl's start-up call and its error queue. OpenSSL keeps a
    /// queue of error codes that the class library drains after a failed call (ErrGetExceptionError) and
    /// turns into the CryptographicException's message (ErrErrorStringN). Our exports fail only for the
    /// few reasons in <see cref="Reason"/>; the queue holds the latest one, 0 meaning "no error".
    /// </summary>
    internal static unsafe class CryptoNativeErrors
    {
        /// <summary>Why a call failed; the low bits of the error code.</summary>
        internal enum Reason : uint
        {
            UnknownDigest = 1,
            InvalidContext = 2,
            InvalidArgument = 3,
            BufferTooSmall = 4,
            NotExtendableOutput = 5,
            NoRandomSource = 6,
        }

        // OpenSSL 3 packs an error code as library << 23 | reason; ERR_LIB_USER (128) is the library
        // number OpenSSL leaves to applications, so our codes never collide with one of its own.
        private const int LibraryShift = 23;
        private const ulong UserLibrary = 128;
        private const ulong ReasonMask = (1UL << LibraryShift) - 1;

        // One queue for the whole kernel, like Errno: a failure and the class library's read of it
        // happen on the same thread, one right after the other.
        private static ulong s_lastError;

        /// <summary>Records <paramref name="reason"/> and returns 0, the failure value of the int-returning calls.</summary>
        internal static int Fail(Reason reason)
        {
            s_lastError = (UserLibrary << LibraryShift) | (ulong)reason;
            return 0;
        }

        /// <summary>OpenSSL's calls clear the queue on entry, so an old failure is not blamed on a new one.</summary>
        internal static void Clear() => s_lastError = 0;

        private static string Describe(Reason reason) => reason switch
        {
            Reason.UnknownDigest => "unknown digest (EVP_MD) handle",
            Reason.InvalidContext => "invalid digest or HMAC context handle",
            Reason.InvalidArgument => "invalid argument",
            Reason.BufferTooSmall => "output buffer too small",
            Reason.NotExtendableOutput => "digest is not an extendable-output function",
            Reason.NoRandomSource => "no secure random source: the CPU has neither RDRAND nor RDSEED",
            _ => "unknown reason",
        };

        /// <summary>Always succeeds: there is no library to load and nothing to configure.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_EnsureOpenSslInitialized")]
        private static int EnsureOpenSslInitialized() => 0;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_ErrClearError")]
        private static ulong ErrClearError()
        {
            Clear();
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_ErrPeekError")]
        private static ulong ErrPeekError() => s_lastError;

        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_ErrPeekLastError")]
        private static ulong ErrPeekLastError() => s_lastError;

        /// <summary>Takes the error to report and empties the queue. Nothing here allocates natively, so never an allocation failure.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_ErrGetExceptionError")]
        private static ulong ErrGetExceptionError(int* isAllocFailure)
        {
            if (isAllocFailure != null)
            {
                *isAllocFailure = 0;
            }

            ulong error = s_lastError;
            s_lastError = 0;
            return error;
        }

        /// <summary>ERR_error_string_n: OpenSSL's "error:CODE:library::reason" layout, truncated to fit and NUL-terminated.</summary>
        [UnmanagedCallersOnly(EntryPoint = "CryptoNative_ErrErrorStringN")]
        private static void ErrErrorStringN(ulong error, byte* buffer, int length)
        {
            if (buffer == null || length <= 0)
            {
                return;
            }

            string library = error >> LibraryShift == UserLibrary ? "cosmos crypto" : $"lib({error >> LibraryShift})";
            string text = $"error:{error:X8}:{library}::{Describe((Reason)(error & ReasonMask))}";
            var destination = new Span<byte>(buffer, length - 1);
            int written = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, destination.Length)), destination);
            buffer[written] = 0;
        }
    }
}
