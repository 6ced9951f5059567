using System;
using System.Buffers.Binary;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// The memory structures an AHCI port reads: the command list of 32-byte command headers
    /// (§4.2.2), the command table with its command FIS and PRDT (§4.2.3) and the received-FIS area
    /// (§4.2.1). Sizes and alignments as the specification requires.
    /// </summary>
    internal static class AhciCommandLayout
    {
        /// <summary>Command list: 32 headers of 32 bytes, 1 KiB aligned.</summary>
        public const int CommandListBytes = 1024;

        /// <summary>Received FIS area, 256-byte aligned.</summary>
        public const int ReceivedFisBytes = 256;

        /// <summary>A command header's size.</summary>
        public const int CommandHeaderBytes = 32;

        /// <summary>Command table: CFIS (64 bytes), ACMD (16), reserved (48), then the PRDT; 128-byte aligned.</summary>
        public const int CommandTablePrdtOffset = 0x80;

        /// <summary>One PRDT entry (§4.2.3.3).</summary>
        public const int PrdtEntryBytes = 16;

        /// <summary>A PRDT entry moves at most 4 MiB (DBC is 22 bits of byte count minus one).</summary>
        public const int PrdtMaxBytes = 4 * 1024 * 1024;

        /// <summary>Command header DW0.W: data moves from memory to the device.</summary>
        public const uint HeaderWrite = 1u << 6;

        /// <summary>Command header DW0.C: clear PxTFD.STS.BSY when the command is sent (§4.2.2).</summary>
        public const uint HeaderClearBusy = 1u << 10;

        /// <summary>Offset of the D2H register FIS in the received-FIS area.</summary>
        public const int ReceivedD2hOffset = 0x40;

        /// <summary>Writes command header <paramref name="slot"/>: FIS length in dwords, direction, PRDT length and table address.</summary>
        public static void WriteHeader(Span<byte> commandList, int slot, int fisDwords, bool write, int prdtLength, ulong commandTablePhysical)
        {
            if ((commandTablePhysical & 0x7F) != 0)
            {
                throw new ArgumentException($"command table 0x{commandTablePhysical:x} is not 128-byte aligned", nameof(commandTablePhysical));
            }

            Span<byte> header = commandList.Slice(slot * CommandHeaderBytes, CommandHeaderBytes);
            header.Clear();
            uint dw0 = (uint)fisDwords & 0x1F;
            dw0 |= write ? HeaderWrite : 0;
            dw0 |= (uint)prdtLength << 16;
            BinaryPrimitives.WriteUInt32LittleEndian(header, dw0);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0); // PRDBC: the HBA counts bytes here
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)commandTablePhysical);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)(commandTablePhysical >> 32));
        }

        /// <summary>Bytes the HBA reports transferred for <paramref name="slot"/> (PRDBC).</summary>
        public static uint ReadTransferredBytes(ReadOnlySpan<byte> commandList, int slot) =>
            BinaryPrimitives.ReadUInt32LittleEndian(commandList.Slice((slot * CommandHeaderBytes) + 4, 4));

        /// <summary>Writes PRDT entry <paramref name="index"/>: data base address and byte count (even, at most 4 MiB).</summary>
        public static void WritePrdtEntry(Span<byte> commandTable, int index, ulong dataPhysical, int byteCount)
        {
            if (byteCount <= 0 || byteCount > PrdtMaxBytes || (byteCount & 1) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(byteCount), byteCount, "a PRDT entry moves an even count of 2 B..4 MiB");
            }

            Span<byte> entry = commandTable.Slice(CommandTablePrdtOffset + (index * PrdtEntryBytes), PrdtEntryBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)dataPhysical);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)(dataPhysical >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)(byteCount - 1)); // DBC; I (bit 31) clear: we poll
        }
    }
}
