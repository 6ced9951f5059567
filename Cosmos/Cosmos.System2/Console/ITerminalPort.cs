using System;

namespace Cosmos.System.Console
{
    /// <summary>
    /// A byte-stream terminal the kernel console talks to: a serial line, or a screen with a
    /// keyboard. Output and input are VT100/ANSI byte streams in UTF-8.
    /// </summary>
    public interface ITerminalPort
    {
        /// <summary>A short name for listings ("ttyS0").</summary>
        string Name { get; }

        /// <summary>Writes bytes to the terminal.</summary>
        void Write(ReadOnlySpan<byte> bytes);

        /// <summary>Returns the next input byte if one is waiting.</summary>
        bool TryRead(out byte value);
    }
}
