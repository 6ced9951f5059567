using System;
using System.Buffers.Binary;

namespace Cosmos.Core.Acpi
{
    /// <summary>
    /// The Root System Description Pointer (ACPI 6.5 §5.2.5.3): where the RSDT (ACPI 1.0) and the
    /// XSDT (revision 2 and later) are.
    /// </summary>
    public sealed record Rsdp(byte Revision, string OemId, uint RsdtAddress, ulong XsdtAddress)
    {
        /// <summary>Bytes of the ACPI 1.0 structure (covered by the first checksum).</summary>
        public const int Version1Size = 20;

        /// <summary>Bytes of the revision 2 structure.</summary>
        public const int Version2Size = 36;

        /// <summary>"RSD PTR " as it appears in memory.</summary>
        public static ReadOnlySpan<byte> Signature => "RSD PTR "u8;

        /// <summary>The root table to walk: the XSDT when there is one, else the RSDT.</summary>
        public bool UsesXsdt => Revision >= 2 && XsdtAddress != 0;

        /// <summary>Parses and validates an RSDP: signature, the 20-byte checksum, and for revision 2+ the length and extended checksum.</summary>
        /// <exception cref="AcpiParseException">It is not a valid RSDP.</exception>
        public static Rsdp Parse(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length < Version1Size)
            {
                throw new AcpiParseException($"RSDP needs {Version1Size} bytes, only {bytes.Length} available");
            }

            if (!bytes.Slice(0, 8).SequenceEqual(Signature))
            {
                throw new AcpiParseException("RSDP: signature is not 'RSD PTR '");
            }

            byte sum = AcpiChecksum.Sum(bytes.Slice(0, Version1Size));
            if (sum != 0)
            {
                throw new AcpiParseException($"RSDP: checksum over the first {Version1Size} bytes is 0x{sum:x2}, expected 0");
            }

            byte revision = bytes[15];
            string oemId = AcpiTableHeader.Ascii(bytes.Slice(9, 6));
            uint rsdt = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(16));
            if (revision < 2)
            {
                return new Rsdp(revision, oemId, rsdt, 0);
            }

            if (bytes.Length < Version2Size)
            {
                throw new AcpiParseException($"RSDP revision {revision} needs {Version2Size} bytes, only {bytes.Length} available");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(20));
            if (length < Version2Size || length > (uint)bytes.Length)
            {
                throw new AcpiParseException($"RSDP: length field {length} is outside {Version2Size}..{bytes.Length}");
            }

            byte extendedSum = AcpiChecksum.Sum(bytes.Slice(0, (int)length));
            if (extendedSum != 0)
            {
                throw new AcpiParseException($"RSDP: extended checksum over {length} bytes is 0x{extendedSum:x2}, expected 0");
            }

            return new Rsdp(revision, oemId, rsdt, BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(24)));
        }

        /// <summary>
        /// Searches <paramref name="region"/> on 16-byte boundaries, as the firmware places it
        /// (§5.2.5.1), for a structure that parses; returns its offset or -1.
        /// </summary>
        public static int Find(ReadOnlySpan<byte> region)
        {
            for (int offset = 0; offset + Version1Size <= region.Length; offset += 16)
            {
                if (!region.Slice(offset, 8).SequenceEqual(Signature))
                {
                    continue;
                }

                try
                {
                    Parse(region.Slice(offset));
                    return offset;
                }
                catch (AcpiParseException)
                {
                    // A stray signature: keep looking.
                }
            }

            return -1;
        }
    }
}
