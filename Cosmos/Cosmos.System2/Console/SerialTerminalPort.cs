using System;
using Cosmos.Core.IO;

namespace Cosmos.System.Console
{
    /// <summary>A terminal on a 16550 serial port (COM1 is the kernel console).</summary>
    public sealed class SerialTerminalPort : ITerminalPort
    {
        private readonly ushort _port;

        /// <summary>Opens the UART at I/O base <paramref name="port"/>.</summary>
        public SerialTerminalPort(ushort port, string name)
        {
            _port = port;
            Name = name;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <inheritdoc />
        public void Write(ReadOnlySpan<byte> bytes)
        {
            bool taken = SerialOutputLock.Enter();
            foreach (byte b in bytes)
            {
                if (b == (byte)'\n')
                {
                    SerialPort.Write(_port, (byte)'\r');
                }

                SerialPort.Write(_port, b);
            }

            SerialOutputLock.Exit(taken);
        }

        /// <inheritdoc />
        public bool TryRead(out byte value)
        {
            if (SerialPort.HasData(_port))
            {
                value = SerialPort.Read(_port);
                return true;
            }

            value = 0;
            return false;
        }
    }
}
