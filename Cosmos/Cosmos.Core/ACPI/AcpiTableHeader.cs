using System;
using System.Buffers.Binary;
using System.Text;

namespace Cosmos.Core.Acpi
{
    /// <summary>The 36-byte header every ACPI system description table starts with (ACPI 6.5 §5.2.6).</summary>
    public readonly record struct AcpiTableHeader(string Signature, uint Length, byte Revision, string OemId, string OemTableId, uint OemRevision)
    {
        /// <summary>Bytes in the header.</summary>
        public const int Size = 36;

        /// <summary>Reads the header fields without validating the table (enough to learn its length).</summary>
        /// <exception cref="AcpiParseException">Fewer than 36 bytes.</exception>
        public static AcpiTableHeader Read(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length < Size)
            {
                throw new AcpiParseException($"ACPI table header needs {Size} bytes, only {bytes.Length} available");
            }

            return new AcpiTableHeader(
                Ascii(bytes.Slice(0, 4)),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(4)),
                bytes[8],
                Ascii(bytes.Slice(10, 6)),
                Ascii(bytes.Slice(16, 8)),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(24)));
        }

        /// <summary>
        /// Checks a whole table: the signature is <paramref name="expectedSignature"/>, the length
        /// field covers at least the header and no more than <paramref name="bytes"/>, and all
        /// <c>Length</c> bytes sum to zero. Returns the header and the table's exact bytes.
        /// </summary>
        /// <exception cref="AcpiParseException">Any of these fails; the message names the table and the values.</exception>
        public static AcpiTableHeader Validate(ReadOnlySpan<byte> bytes, string expectedSignature, out ReadOnlySpan<byte> table)
        {
            AcpiTableHeader header = Read(bytes);
            if (header.Signature != expectedSignature)
            {
                throw new AcpiParseException($"expected an ACPI {expectedSignature} table, found signature '{header.Signature}'");
            }

            if (header.Length < Size)
            {
                throw new AcpiParseException($"{expectedSignature}: length field {header.Length} is shorter than the {Size}-byte header");
            }

            if (header.Length > (uint)bytes.Length)
            {
                throw new AcpiParseException($"{expectedSignature}: length field says {header.Length} bytes, only {bytes.Length} available (truncated)");
            }

            table = bytes.Slice(0, (int)header.Length);
            byte sum = AcpiChecksum.Sum(table);
            if (sum != 0)
            {
                throw new AcpiParseException($"{expectedSignature}: checksum over {header.Length} bytes is 0x{sum:x2}, expected 0");
            }

            return header;
        }

        /// <summary>Printable ASCII of a fixed-width field, trailing spaces and NULs removed.</summary>
        internal static string Ascii(ReadOnlySpan<byte> field)
        {
            var text = new StringBuilder(field.Length);
            foreach (byte b in field)
            {
                text.Append(b >= 0x20 && b < 0x7F ? (char)b : b == 0 ? ' ' : '?');
            }

            return text.ToString().TrimEnd(' ');
        }
    }

    /// <summary>The ACPI checksum rule: all bytes of a structure sum to zero modulo 256.</summary>
    public static class AcpiChecksum
    {
        /// <summary>The byte sum of <paramref name="bytes"/> (0 for a valid structure).</summary>
        public static byte Sum(ReadOnlySpan<byte> bytes)
        {
            byte sum = 0;
            foreach (byte b in bytes)
            {
                sum += b;
            }

            return sum;
        }
    }
}
