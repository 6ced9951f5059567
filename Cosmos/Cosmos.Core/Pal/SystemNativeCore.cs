using System.Runtime.InteropServices;
using Cosmos.Core.IO;
using Cosmos.Core.Memory;
using Cosmos.Core.Runtime;

namespace Cosmos.Core.Pal
{
    /// <summary>
    /// The part of libSystem.Native (the class library's Unix PAL) that the runtime itself needs:
    /// memory, errno, clocks, randomness, logging. ILC turns these P/Invokes into direct calls
    /// (<c>--directpinvoke:libSystem.Native</c>). The console and file parts live in Plugs.
    /// </summary>
    internal static unsafe class SystemNativeCore
    {
        private static ulong s_randomState;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetErrNo")]
        private static int GetErrNo() => Errno.Value;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetErrNo")]
        private static void SetErrNo(int value) => Errno.Value = value;

        // errno holds the PAL's own codes (Interop.Error), so the conversions are the identity.
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ConvertErrorPlatformToPal")]
        private static int ConvertErrorPlatformToPal(int platformErrno) => platformErrno;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ConvertErrorPalToPlatform")]
        private static int ConvertErrorPalToPlatform(int error) => error;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_StrErrorR")]
        private static byte* StrErrorR(int platformErrno, byte* buffer, int bufferSize)
        {
            if (bufferSize <= 0)
            {
                return null;
            }

            // UTF-8, cut at a character boundary so that a path in the detail stays valid text.
            string message = Errno.Message(platformErrno);
            int length = 0;
            System.Span<byte> encoded = stackalloc byte[4];
            foreach (System.Text.Rune rune in message.EnumerateRunes())
            {
                int count = rune.EncodeToUtf8(encoded);
                if (length + count > bufferSize - 1)
                {
                    break;
                }

                for (int i = 0; i < count; i++)
                {
                    buffer[length++] = encoded[i];
                }
            }

            buffer[length] = 0;
            return buffer;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Malloc")]
        private static void* Malloc(nuint size)
        {
            void* memory = EarlyHeap.Allocate(size == 0 ? 1 : size);
            if (memory == null)
            {
                Errno.Value = Errno.ENOMEM;
            }

            return memory;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Free")]
        private static void Free(void* memory) => EarlyHeap.Free(memory);

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_MMap")]
        private static void* MMap(void* address, ulong length, int protection, int flags, nint fd, long offset)
        {
            if (!GcHeap.IsInitialized)
            {
                byte* early = EarlyHeap.Allocate(length + 4095);
                if (early == null)
                {
                    Errno.Value = Errno.ENOMEM;
                    return (void*)-1;
                }

                return (void*)(((ulong)early + 4095) & ~4095UL);
            }

            // Above GcHeap.MaxSmallBytes native memory is page-aligned, as mmap's is.
            byte* memory = EarlyHeap.Allocate(length > GcHeap.MaxSmallBytes ? length : GcHeap.MaxSmallBytes + 1);
            if (memory == null || ((ulong)memory & 4095) != 0)
            {
                EarlyHeap.Free(memory);
                Errno.Value = Errno.ENOMEM;
                return (void*)-1;
            }

            return memory;
        }

        // Mappings are whole allocations here: unmapping one frees it (a partial unmap keeps the memory).
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_MUnmap")]
        private static int MUnmap(void* address, ulong length)
        {
            EarlyHeap.Free(address);
            return 0;
        }

        /// <summary>Every page is read-write-execute in the identity map; protections are not enforced.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_MProtect")]
        private static int MProtect(void* address, ulong length, int protection) => 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetEnv")]
        private static byte* GetEnv(byte* name) => null;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SchedGetCpu")]
        private static int SchedGetCpu() => 0;

        /// <summary>Monotonic nanoseconds (Stopwatch.Frequency is 10^9 on Unix).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetTimestamp")]
        private static ulong GetTimestamp() => Tsc.Nanoseconds;

        /// <summary>Wall-clock time (DateTime.UtcNow): 100 ns ticks since 1970, from the CMOS clock and the TSC.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetSystemTimeAsTicks")]
        private static long GetSystemTimeAsTicks() => RealTimeClock.UnixTicks;

        /// <summary>Monotonic milliseconds (Environment.TickCount64): the same TSC clock as GetTimestamp, so the two agree.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetLowResolutionTimestamp")]
        private static ulong GetLowResolutionTimestamp() => Tsc.Nanoseconds / 1_000_000;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetNonCryptographicallySecureRandomBytes")]
        private static void GetNonCryptographicallySecureRandomBytes(byte* buffer, int length)
        {
            if (s_randomState == 0)
            {
                s_randomState = Native.ReadTimestampCounter() | 1;
            }

            for (int i = 0; i < length; i++)
            {
                // xorshift64*
                s_randomState ^= s_randomState >> 12;
                s_randomState ^= s_randomState << 25;
                s_randomState ^= s_randomState >> 27;
                buffer[i] = (byte)((s_randomState * 0x2545F4914F6CDD1DUL) >> 56);
            }
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LogError")]
        private static void LogError(byte* message)
        {
            SerialPort.WriteAscii(SerialPort.Com1, "[runtime] ");
            SerialPort.WriteCString(SerialPort.Com1, message);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Abort")]
        private static void Abort() => Panic.Halt("abort() called by the class library");
    }
}
