using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Core.Acpi
{
    /// <summary>Signal polarity of an interrupt input (MPS INTI flags, ACPI 6.5 table 5.50).</summary>
    public enum InterruptPolarity
    {
        /// <summary>As the bus specifies: active high for ISA, active low for PCI.</summary>
        ConformsToBus = 0,

        /// <summary>Active high.</summary>
        ActiveHigh = 1,

        /// <summary>Active low.</summary>
        ActiveLow = 3,
    }

    /// <summary>Trigger mode of an interrupt input (MPS INTI flags).</summary>
    public enum InterruptTrigger
    {
        /// <summary>As the bus specifies: edge for ISA, level for PCI.</summary>
        ConformsToBus = 0,

        /// <summary>Edge-triggered.</summary>
        Edge = 1,

        /// <summary>Level-triggered.</summary>
        Level = 3,
    }

    /// <summary>A processor's local APIC (MADT type 0).</summary>
    public readonly record struct MadtLocalApic(byte ProcessorUid, byte ApicId, bool Enabled, bool OnlineCapable);

    /// <summary>An I/O APIC (MADT type 1): its registers and the first global system interrupt it serves.</summary>
    public readonly record struct MadtIoApic(byte Id, uint Address, uint GsiBase);

    /// <summary>An interrupt source override (MADT type 2): ISA IRQ <c>Source</c> arrives on <c>Gsi</c> with these flags.</summary>
    public readonly record struct MadtInterruptOverride(byte Bus, byte Source, uint Gsi, InterruptPolarity Polarity, InterruptTrigger Trigger);

    /// <summary>A local APIC input wired to NMI (MADT type 4); <c>ProcessorUid</c> 0xFF means every processor.</summary>
    public readonly record struct MadtLocalApicNmi(byte ProcessorUid, byte Lint, InterruptPolarity Polarity, InterruptTrigger Trigger);

    /// <summary>
    /// The Multiple APIC Description Table (signature "APIC", ACPI 6.5 §5.2.12): the local APIC
    /// address, the I/O APICs, how ISA IRQs map to global system interrupts, and the NMI wiring.
    /// </summary>
    public sealed class Madt
    {
        private const int EntriesOffset = 44;
        private const byte TypeLocalApic = 0, TypeIoApic = 1, TypeOverride = 2, TypeNmiSource = 3, TypeLocalApicNmi = 4, TypeLocalApicAddress = 5;

        private Madt(ulong localApicAddress, bool pcAtCompatible, IReadOnlyList<MadtLocalApic> localApics, IReadOnlyList<MadtIoApic> ioApics,
            IReadOnlyList<MadtInterruptOverride> overrides, IReadOnlyList<MadtLocalApicNmi> localApicNmis)
        {
            LocalApicAddress = localApicAddress;
            PcAtCompatible = pcAtCompatible;
            LocalApics = localApics;
            IoApics = ioApics;
            Overrides = overrides;
            LocalApicNmis = localApicNmis;
        }

        /// <summary>Physical address of the local APIC registers (a type 5 entry overrides the 32-bit field).</summary>
        public ulong LocalApicAddress { get; }

        /// <summary>PCAT_COMPAT: dual 8259s are present and must be masked when the APICs are used.</summary>
        public bool PcAtCompatible { get; }

        /// <summary>Processors' local APICs.</summary>
        public IReadOnlyList<MadtLocalApic> LocalApics { get; }

        /// <summary>The I/O APICs.</summary>
        public IReadOnlyList<MadtIoApic> IoApics { get; }

        /// <summary>The interrupt source overrides.</summary>
        public IReadOnlyList<MadtInterruptOverride> Overrides { get; }

        /// <summary>Local APIC NMI inputs.</summary>
        public IReadOnlyList<MadtLocalApicNmi> LocalApicNmis { get; }

        /// <summary>The override for ISA IRQ <paramref name="irq"/>, if the firmware gave one.</summary>
        public MadtInterruptOverride? FindOverride(int irq)
        {
            foreach (MadtInterruptOverride entry in Overrides)
            {
                if (entry.Bus == 0 && entry.Source == irq)
                {
                    return entry;
                }
            }

            return null;
        }

        /// <summary>Parses a MADT.</summary>
        /// <exception cref="AcpiParseException">Bad header or checksum, or an entry that is too short or runs past the table.</exception>
        public static Madt Parse(ReadOnlySpan<byte> bytes)
        {
            AcpiTableHeader.Validate(bytes, "APIC", out ReadOnlySpan<byte> table);
            if (table.Length < EntriesOffset)
            {
                throw new AcpiParseException($"APIC: {table.Length} bytes cannot hold the local APIC address and flags (need {EntriesOffset})");
            }

            ulong localApicAddress = BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(36));
            bool pcAt = (BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(40)) & 1) != 0;
            var localApics = new List<MadtLocalApic>();
            var ioApics = new List<MadtIoApic>();
            var overrides = new List<MadtInterruptOverride>();
            var nmis = new List<MadtLocalApicNmi>();
            for (int offset = EntriesOffset; offset < table.Length;)
            {
                if (table.Length - offset < 2)
                {
                    throw new AcpiParseException($"APIC: a lone byte at offset {offset} where an entry header belongs");
                }

                byte type = table[offset];
                byte length = table[offset + 1];
                if (length < 2 || offset + length > table.Length)
                {
                    throw new AcpiParseException($"APIC: entry type {type} at offset {offset} has length {length}; {table.Length - offset} bytes remain");
                }

                ReadOnlySpan<byte> entry = table.Slice(offset, length);
                switch (type)
                {
                    case TypeLocalApic:
                        Require(entry, 8, type, offset);
                        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4));
                        localApics.Add(new MadtLocalApic(entry[2], entry[3], (flags & 1) != 0, (flags & 2) != 0));
                        break;
                    case TypeIoApic:
                        Require(entry, 12, type, offset);
                        ioApics.Add(new MadtIoApic(entry[2], BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4)), BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8))));
                        break;
                    case TypeOverride:
                        Require(entry, 10, type, offset);
                        ushort intiFlags = BinaryPrimitives.ReadUInt16LittleEndian(entry.Slice(8));
                        overrides.Add(new MadtInterruptOverride(entry[2], entry[3], BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4)),
                            Polarity(intiFlags), Trigger(intiFlags)));
                        break;
                    case TypeNmiSource:
                        Require(entry, 8, type, offset);
                        break;
                    case TypeLocalApicNmi:
                        Require(entry, 6, type, offset);
                        ushort nmiFlags = BinaryPrimitives.ReadUInt16LittleEndian(entry.Slice(3));
                        nmis.Add(new MadtLocalApicNmi(entry[2], entry[5], Polarity(nmiFlags), Trigger(nmiFlags)));
                        break;
                    case TypeLocalApicAddress:
                        Require(entry, 12, type, offset);
                        localApicAddress = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(4));
                        break;
                }

                offset += length;
            }

            return new Madt(localApicAddress, pcAt, localApics, ioApics, overrides, nmis);
        }

        private static InterruptPolarity Polarity(ushort intiFlags) => (intiFlags & 3) switch
        {
            1 => InterruptPolarity.ActiveHigh,
            3 => InterruptPolarity.ActiveLow,
            _ => InterruptPolarity.ConformsToBus,
        };

        private static InterruptTrigger Trigger(ushort intiFlags) => ((intiFlags >> 2) & 3) switch
        {
            1 => InterruptTrigger.Edge,
            3 => InterruptTrigger.Level,
            _ => InterruptTrigger.ConformsToBus,
        };

        private static void Require(ReadOnlySpan<byte> entry, int minimum, byte type, int offset)
        {
            if (entry.Length < minimum)
            {
                throw new AcpiParseException($"APIC: entry type {type} at offset {offset} is {entry.Length} bytes, needs {minimum}");
            }
        }
    }
}
