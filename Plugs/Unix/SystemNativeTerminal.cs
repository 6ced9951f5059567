using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cosmos.Core.Pal;
using Cosmos.System.Console;
using Cosmos.System.IO;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// Terminal set-up calls of System.Console's Unix implementation. The kernel's terminal has
    /// no termios and no signals: set-up succeeds and does nothing; the window is 80x25.
    /// </summary>
    internal static unsafe class SystemNativeTerminal
    {
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_InitializeTerminalAndSignalHandling")]
        private static int InitializeTerminalAndSignalHandling() => 1;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_UninitializeTerminal")]
        private static void UninitializeTerminal()
        {
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetKeypadXmit")]
        private static void SetKeypadXmit(nint fd, byte* terminfoString)
        {
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetTerminalInvalidationHandler")]
        private static void SetTerminalInvalidationHandler(nint handler)
        {
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_InitializeConsoleBeforeRead")]
        private static void InitializeConsoleBeforeRead(byte minChars, byte decisecondsTimeout)
        {
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_UninitializeConsoleAfterRead")]
        private static void UninitializeConsoleAfterRead()
        {
        }

        /// <summary>Raw bytes for System.Console's own key reader.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ReadStdin")]
        private static int ReadStdin(byte* buffer, int bufferSize) =>
            Terminal.Console.ReadRaw(new Span<byte>(buffer, bufferSize));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetWindowSize")]
        private static int GetWindowSize(nint fd, ushort* winSize)
        {
            if (FileDescriptorTable.Get(fd)?.IsTerminal != true)
            {
                Errno.Value = Errno.ENOTTY;
                return -1;
            }

            winSize[0] = 25;    // rows
            winSize[1] = 80;    // columns
            winSize[2] = 0;
            winSize[3] = 0;
            return 0;
        }

        /// <summary>No termios: every control character is disabled.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetControlCharacters")]
        private static void GetControlCharacters(int* names, byte* values, int count, byte* posixDisableValue)
        {
            for (int i = 0; i < count; i++)
            {
                values[i] = 0;
            }

            *posixDisableValue = 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetEUid")]
        private static uint GetEUid() => 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetPwUidR")]
        private static int GetPwUidR(uint uid, void* passwd, byte* buffer, int bufferLength) => Errno.ENOENT;

        // snprintf with one argument, as terminfo formatting uses it.
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SNPrintF_1S")]
        private static int SNPrintFString(byte* destination, int size, byte* format, byte* argument) =>
            Format(destination, size, format, Marshal.PtrToStringUTF8((nint)argument) ?? "");

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SNPrintF_1I")]
        private static int SNPrintFInt(byte* destination, int size, byte* format, int argument) =>
            Format(destination, size, format, argument.ToString(CultureInfo.InvariantCulture));

        private static int Format(byte* destination, int size, byte* format, string argument)
        {
            string pattern = Marshal.PtrToStringUTF8((nint)format) ?? "";
            int percent = pattern.IndexOf('%');
            string text = percent < 0 || percent + 1 >= pattern.Length ? pattern : pattern[..percent] + argument + pattern[(percent + 2)..];
            int written = Encoding.UTF8.GetBytes(text, new Span<byte>(destination, size > 0 ? size - 1 : 0));
            if (size > 0)
            {
                destination[written] = 0;
            }

            return Encoding.UTF8.GetByteCount(text);
        }
    }
}
