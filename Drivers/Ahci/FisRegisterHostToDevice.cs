using System;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// Register FIS, host to device (FIS type 0x27, SATA 3.x §10.5.5; AHCI 1.3.1 §4.2.3.1 places it
    /// at the start of the command table). 20 bytes, five dwords.
    /// </summary>
    internal static class FisRegisterHostToDevice
    {
        /// <summary>FIS type of a register H2D FIS.</summary>
        public const byte FisType = 0x27;

        /// <summary>Length in bytes.</summary>
        public const int Length = 20;

        /// <summary>Length in dwords, for the command header's CFL.</summary>
        public const int LengthDwords = Length / 4;

        /// <summary>Byte 1 bit 7: the FIS carries a command (not a device control update).</summary>
        private const byte CommandBit = 0x80;

        /// <summary>Device register bit 6: LBA addressing.</summary>
        private const byte DeviceLba = 0x40;

        /// <summary>Writes a command FIS with a 48-bit LBA and a 16-bit sector count.</summary>
        public static void Write(Span<byte> fis, byte command, ulong lba, ushort count)
        {
            fis[..Length].Clear();
            fis[0] = FisType;
            fis[1] = CommandBit;
            fis[2] = command;
            fis[4] = (byte)lba;
            fis[5] = (byte)(lba >> 8);
            fis[6] = (byte)(lba >> 16);
            fis[7] = DeviceLba;
            fis[8] = (byte)(lba >> 24);
            fis[9] = (byte)(lba >> 32);
            fis[10] = (byte)(lba >> 40);
            fis[12] = (byte)count;
            fis[13] = (byte)(count >> 8);
        }
    }
}
