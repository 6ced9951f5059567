namespace Cosmos.Core.IO
{
    /// <summary>
    /// A 16550 UART driven by polling. Usable from the first instruction of managed code: it keeps
    /// no managed state, so panics and early boot can write through it.
    /// </summary>
    public static class SerialPort
    {
        /// <summary>The I/O base of COM1.</summary>
        public const ushort Com1 = 0x3F8;

        /// <summary>The I/O base of COM2.</summary>
        public const ushort Com2 = 0x2F8;

        private const ushort Data = 0, InterruptEnable = 1, FifoControl = 2, LineControl = 3, ModemControl = 4, LineStatus = 5;
        private const byte LineStatusDataReady = 0x01, LineStatusTransmitEmpty = 0x20;

        /// <summary>115200 baud, 8N1, FIFOs on, interrupts off.</summary>
        public static void Initialize(ushort port)
        {
            Native.OutB((ushort)(port + InterruptEnable), 0x00);
            Native.OutB((ushort)(port + LineControl), 0x80);      // DLAB on: divisor follows
            Native.OutB((ushort)(port + Data), 0x01);             // divisor 1 = 115200 baud
            Native.OutB((ushort)(port + InterruptEnable), 0x00);
            Native.OutB((ushort)(port + LineControl), 0x03);      // 8 bits, no parity, one stop bit
            Native.OutB((ushort)(port + FifoControl), 0xC5);      // FIFOs on, transmit FIFO cleared (not receive: typed-ahead input survives), 14-byte threshold
            Native.OutB((ushort)(port + ModemControl), 0x0B);     // DTR, RTS, OUT2
        }

        /// <summary>Writes one byte, waiting for the transmitter.</summary>
        public static void Write(ushort port, byte value)
        {
            while ((Native.InB((ushort)(port + LineStatus)) & LineStatusTransmitEmpty) == 0)
            {
                Native.Pause();
            }

            Native.OutB(port, value);
        }

        /// <summary>True when a received byte is waiting.</summary>
        public static bool HasData(ushort port) => (Native.InB((ushort)(port + LineStatus)) & LineStatusDataReady) != 0;

        /// <summary>Reads one byte; call <see cref="HasData"/> first.</summary>
        public static byte Read(ushort port) => Native.InB(port);

        /// <summary>Writes ASCII text without allocating (safe in panics).</summary>
        public static void WriteAscii(ushort port, System.ReadOnlySpan<char> text)
        {
            foreach (char c in text)
            {
                if (c == '\n')
                {
                    Write(port, (byte)'\r');
                }

                Write(port, c < 0x80 ? (byte)c : (byte)'?');
            }
        }

        /// <summary>Writes a NUL-terminated byte string without allocating.</summary>
        public static unsafe void WriteCString(ushort port, byte* text)
        {
            for (; *text != 0; text++)
            {
                Write(port, *text);
            }
        }

        /// <summary>Writes a number in hexadecimal without allocating.</summary>
        public static void WriteHex(ushort port, ulong value, int digits = 16)
        {
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
            {
                Write(port, (byte)"0123456789abcdef"[(int)((value >> shift) & 0xF)]);
            }
        }
    }
}
