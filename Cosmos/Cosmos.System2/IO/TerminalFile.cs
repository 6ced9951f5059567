using System;
using Cosmos.System.Console;

namespace Cosmos.System.IO
{
    /// <summary>The kernel console as a file: standard input, output and error.</summary>
    public sealed class TerminalFile : OpenFile
    {
        private readonly Terminal _terminal;

        /// <summary>Wraps <paramref name="terminal"/>.</summary>
        public TerminalFile(Terminal terminal) => _terminal = terminal;

        /// <inheritdoc />
        public override int Read(Span<byte> buffer) => _terminal.Read(buffer);

        /// <inheritdoc />
        public override int Write(ReadOnlySpan<byte> buffer)
        {
            _terminal.Write(buffer);
            return buffer.Length;
        }

        /// <inheritdoc />
        public override bool IsTerminal => true;

        /// <inheritdoc />
        public override bool CanReadWithoutBlocking => _terminal.HasPendingInput;
    }
}
