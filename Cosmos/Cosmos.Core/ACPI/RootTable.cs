using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Core.Acpi
{
    /// <summary>The RSDT (32-bit entries) or XSDT (64-bit entries): the physical addresses of every other table (ACPI 6.5 §5.2.7-8).</summary>
    public static class RootTable
    {
        /// <summary>Validates an RSDT or XSDT and returns its entries in order.</summary>
        /// <exception cref="AcpiParseException">Bad header, checksum, or a length that is not a whole number of entries.</exception>
        public static IReadOnlyList<ulong> ParseEntries(ReadOnlySpan<byte> bytes, bool extended)
        {
            string signature = extended ? "XSDT" : "RSDT";
            AcpiTableHeader.Validate(bytes, signature, out ReadOnlySpan<byte> table);
            int entrySize = extended ? 8 : 4;
            int payload = table.Length - AcpiTableHeader.Size;
            if (payload % entrySize != 0)
            {
                throw new AcpiParseException($"{signature}: {payload} bytes of entries is not a multiple of {entrySize}");
            }

            var entries = new List<ulong>(payload / entrySize);
            for (int offset = AcpiTableHeader.Size; offset < table.Length; offset += entrySize)
            {
                entries.Add(extended
                    ? BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(offset))
                    : BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(offset)));
            }

            return entries;
        }
    }
}
