using System;
using System.Collections.Generic;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Acpi
{
    /// <summary>A table the root table lists: where it is and what its header says.</summary>
    public readonly record struct AcpiTableInfo(string Signature, ulong Address, uint Length, byte Revision, string OemId);

    /// <summary>
    /// The firmware's ACPI tables as this boot found them: the RSDP (from the loader, else the
    /// EBDA and BIOS area scan of ACPI 6.5 §5.2.5.1), the tables the RSDT/XSDT lists, and the
    /// parsed MADT and MCFG. A table that fails validation is left out and its error recorded;
    /// nothing here stops the boot.
    /// </summary>
    public sealed unsafe class AcpiTables
    {
        private const ulong BiosAreaStart = 0xE0000, BiosAreaEnd = 0x100000, EbdaPointer = 0x40E;
        private const uint MaximumTableLength = 1 << 20;

        private static byte[]? s_rsdpBytes;
        private static ulong s_rsdpAddress;
        private static string? s_rsdpError;

        private readonly List<AcpiTableInfo> _tables = new();
        private readonly List<string> _errors = new();

        private AcpiTables()
        {
        }

        /// <summary>The tables of this boot; null until <see cref="Load"/> ran or when no RSDP was found.</summary>
        public static AcpiTables? Current { get; private set; }

        /// <summary>Why there are no tables, when <see cref="Current"/> is null after <see cref="Load"/>.</summary>
        public static string? LoadError { get; private set; }

        /// <summary>The RSDP.</summary>
        public Rsdp Rsdp { get; private set; } = new Rsdp(0, "", 0, 0);

        /// <summary>Physical address the RSDP was read from (inside the loader's copy for multiboot2).</summary>
        public ulong RsdpAddress { get; private set; }

        /// <summary>Every table the root table lists whose header could be read, in its order.</summary>
        public IReadOnlyList<AcpiTableInfo> Tables => _tables;

        /// <summary>What was wrong with tables that were left out.</summary>
        public IReadOnlyList<string> Errors => _errors;

        /// <summary>The MADT, or null when there is none (or it is corrupt: see <see cref="Errors"/>).</summary>
        public Madt? Madt { get; private set; }

        /// <summary>The ECAM windows of the MCFG (empty when there is none).</summary>
        public IReadOnlyList<EcamRegion> EcamRegions { get; private set; } = Array.Empty<EcamRegion>();

        /// <summary>
        /// Finds the RSDP and keeps a copy. Runs early: before page 0 is unmapped (the EBDA pointer
        /// lives there) and before the heap can reuse the loader's memory (multiboot2 copies the RSDP
        /// into its information structure).
        /// </summary>
        public static void CaptureRsdp(ulong loaderRsdpAddress)
        {
            if (loaderRsdpAddress != 0 && TryCapture(loaderRsdpAddress))
            {
                return;
            }

            ulong ebda = (ulong)*(ushort*)EbdaPointer << 4;
            if (ebda >= 0x80000 && ebda < 0xA0000 && TryScan(ebda, 1024))
            {
                return;
            }

            if (!TryScan(BiosAreaStart, (int)(BiosAreaEnd - BiosAreaStart)))
            {
                s_rsdpError = loaderRsdpAddress == 0
                    ? "no RSDP from the loader, in the EBDA or in 0xE0000-0xFFFFF"
                    : $"the loader's RSDP at 0x{loaderRsdpAddress:x} is invalid ({s_rsdpError}) and none was found in the EBDA or 0xE0000-0xFFFFF";
            }
        }

        /// <summary>Walks the root table and parses the MADT and MCFG; sets <see cref="Current"/>.</summary>
        public static AcpiTables? Load()
        {
            if (s_rsdpBytes == null)
            {
                LoadError = s_rsdpError ?? "CaptureRsdp did not run";
                return null;
            }

            var tables = new AcpiTables { Rsdp = Rsdp.Parse(s_rsdpBytes), RsdpAddress = s_rsdpAddress };
            try
            {
                tables.WalkRootTable();
            }
            catch (AcpiParseException error)
            {
                LoadError = error.Message;
                return null;
            }

            Current = tables;
            return tables;
        }

        /// <summary>The bytes of the first listed table with this signature (validated), or null.</summary>
        public byte[]? ReadTable(string signature)
        {
            foreach (AcpiTableInfo table in _tables)
            {
                if (table.Signature == signature)
                {
                    return Physical(table.Address, (int)table.Length).ToArray();
                }
            }

            return null;
        }

        private void WalkRootTable()
        {
            bool extended = Rsdp.UsesXsdt;
            ulong rootAddress = extended ? Rsdp.XsdtAddress : Rsdp.RsdtAddress;
            IReadOnlyList<ulong> entries = RootTable.ParseEntries(TableBytes(rootAddress), extended);
            foreach (ulong address in entries)
            {
                try
                {
                    ReadOnlySpan<byte> bytes = TableBytes(address);
                    AcpiTableHeader header = AcpiTableHeader.Read(bytes);
                    _tables.Add(new AcpiTableInfo(header.Signature, address, header.Length, header.Revision, header.OemId));
                    if (header.Signature == "APIC" && Madt == null)
                    {
                        Madt = Madt.Parse(bytes);
                    }
                    else if (header.Signature == "MCFG" && EcamRegions.Count == 0)
                    {
                        EcamRegions = Mcfg.Parse(bytes);
                    }
                }
                catch (AcpiParseException error)
                {
                    _errors.Add($"table at 0x{address:x}: {error.Message}");
                }
            }
        }

        // A table's bytes as far as its length field says (bounded); the parsers check the rest.
        private static ReadOnlySpan<byte> TableBytes(ulong address)
        {
            if (address == 0)
            {
                throw new AcpiParseException("a root table entry is 0");
            }

            AcpiTableHeader header = AcpiTableHeader.Read(Physical(address, AcpiTableHeader.Size));
            if (header.Length > MaximumTableLength)
            {
                throw new AcpiParseException($"{header.Signature}: length field {header.Length} exceeds {MaximumTableLength} bytes");
            }

            return Physical(address, (int)Math.Max(header.Length, (uint)AcpiTableHeader.Size));
        }

        private static ReadOnlySpan<byte> Physical(ulong address, int length)
        {
            // The boot tables identity-map the first 4 GiB; tables above are mapped on demand.
            if (address + (ulong)length > PhysicalMemory.IdentityMappedLimit)
            {
                Paging.MapMemory(address, (ulong)length);
            }

            return new ReadOnlySpan<byte>((void*)address, length);
        }

        private static bool TryCapture(ulong address)
        {
            var bytes = new ReadOnlySpan<byte>((void*)address, Rsdp.Version2Size);
            try
            {
                Rsdp.Parse(bytes);
            }
            catch (AcpiParseException error)
            {
                s_rsdpError = error.Message;
                return false;
            }

            s_rsdpBytes = bytes.ToArray();
            s_rsdpAddress = address;
            return true;
        }

        private static bool TryScan(ulong start, int length)
        {
            int offset = Rsdp.Find(new ReadOnlySpan<byte>((void*)start, length));
            return offset >= 0 && TryCapture(start + (ulong)offset);
        }
    }
}
