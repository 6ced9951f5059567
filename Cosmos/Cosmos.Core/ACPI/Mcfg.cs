using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Core.Acpi
{
    /// <summary>
    /// One enhanced configuration (ECAM) window: configuration space of buses
    /// <c>StartBus</c>..<c>EndBus</c> of PCI segment <c>Segment</c>, 4 KiB per function, at
    /// <c>BaseAddress</c> + (bus - StartBus) &lt;&lt; 20 | device &lt;&lt; 15 | function &lt;&lt; 12.
    /// </summary>
    public readonly record struct EcamRegion(ulong BaseAddress, ushort Segment, byte StartBus, byte EndBus)
    {
        /// <summary>Bytes the window spans.</summary>
        public ulong Length => (ulong)(EndBus - StartBus + 1) << 20;

        /// <summary>True when it covers <paramref name="bus"/> of <paramref name="segment"/>.</summary>
        public bool Covers(ushort segment, byte bus) => segment == Segment && bus >= StartBus && bus <= EndBus;
    }

    /// <summary>The MCFG table (PCI Firmware Specification 3.2 §4.1.2): the ECAM windows.</summary>
    public static class Mcfg
    {
        private const int EntriesOffset = 44, EntrySize = 16;

        /// <summary>Parses an MCFG.</summary>
        /// <exception cref="AcpiParseException">Bad header or checksum, a partial entry, or an entry whose bus range is reversed.</exception>
        public static IReadOnlyList<EcamRegion> Parse(ReadOnlySpan<byte> bytes)
        {
            AcpiTableHeader.Validate(bytes, "MCFG", out ReadOnlySpan<byte> table);
            if (table.Length < EntriesOffset || (table.Length - EntriesOffset) % EntrySize != 0)
            {
                throw new AcpiParseException($"MCFG: {table.Length} bytes is not the {EntriesOffset}-byte preamble plus whole {EntrySize}-byte entries");
            }

            var regions = new List<EcamRegion>();
            for (int offset = EntriesOffset; offset < table.Length; offset += EntrySize)
            {
                ReadOnlySpan<byte> entry = table.Slice(offset, EntrySize);
                var region = new EcamRegion(BinaryPrimitives.ReadUInt64LittleEndian(entry), BinaryPrimitives.ReadUInt16LittleEndian(entry.Slice(8)), entry[10], entry[11]);
                if (region.StartBus > region.EndBus)
                {
                    throw new AcpiParseException($"MCFG: entry at offset {offset} has bus range {region.StartBus}..{region.EndBus}");
                }

                if ((region.BaseAddress & 0xFFFFF) != 0)
                {
                    throw new AcpiParseException($"MCFG: entry at offset {offset} has base 0x{region.BaseAddress:x}, not 1 MiB aligned");
                }

                regions.Add(region);
            }

            return regions;
        }
    }
}
