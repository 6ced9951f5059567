using System;

namespace Cosmos.System.Console
{
    /// <summary>Keyboards without a screen: typed bytes are console input; output goes elsewhere (the serial port).</summary>
    public sealed class InputTerminalPort : ITerminalPort
    {
        private readonly InputHub _input;

        /// <summary>A port reading <paramref name="input"/>.</summary>
        public InputTerminalPort(InputHub input) => _input = input ?? throw new ArgumentNullException(nameof(input));

        /// <inheritdoc />
        public string Name => "kbd";

        /// <inheritdoc />
        public void Write(ReadOnlySpan<byte> bytes)
        {
        }

        /// <inheritdoc />
        public bool TryRead(out byte value) => _input.TryReadByte(out value);
    }
}
