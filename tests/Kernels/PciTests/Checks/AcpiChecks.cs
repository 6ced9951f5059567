using System.Collections.Generic;
using Cosmos.Core.Acpi;
using Cosmos.TestKit;

namespace PciTests.Checks
{
    /// <summary>The ACPI tables QEMU's firmware builds (hw/i386/acpi-build.c): RSDP, MADT and, on q35, MCFG.</summary>
    internal static class AcpiChecks
    {
        public static void Register(TestRunner tests, MachineUnderTest machine)
        {
            tests.Add("acpi.rsdp-found-and-root-table-walked", () =>
            {
                AcpiTables tables = Tables();
                Assert.Equal("BOCHS", tables.Rsdp.OemId, "RSDP OEM ID");
                Assert.True(Has(tables, "FACP") && Has(tables, "APIC"), "the root table lists FACP and APIC; it lists " + Signatures(tables));
                Assert.Equal(0, tables.Errors.Count, "tables that failed validation: " + string.Join("; ", tables.Errors));
            });

            tests.Add("acpi.madt-local-apic-and-ioapic", () =>
            {
                Madt madt = Tables().Madt ?? throw new CheckFailedException("no MADT");
                Assert.Equal(0xFEE0_0000UL, madt.LocalApicAddress, "local APIC address");
                Assert.True(madt.PcAtCompatible, "PCAT_COMPAT (8259s present)");
                Assert.True(madt.LocalApics.Count >= 1 && madt.LocalApics[0].Enabled, "an enabled processor local APIC");
                Assert.Equal(1, madt.IoApics.Count, "I/O APICs");
                Assert.Equal(0xFEC0_0000u, madt.IoApics[0].Address, "I/O APIC address");
                Assert.Equal(0u, madt.IoApics[0].GsiBase, "I/O APIC GSI base");
            });

            tests.Add("acpi.madt-overrides", () =>
            {
                Madt madt = Tables().Madt ?? throw new CheckFailedException("no MADT");
                MadtInterruptOverride timer = madt.FindOverride(0) ?? throw new CheckFailedException("no override for IRQ 0");
                Assert.Equal(2u, timer.Gsi, "IRQ 0 (PIT) arrives on GSI 2");
                // QEMU marks the PCI-routable ISA IRQs level-triggered, active high (flags 0x000d).
                MadtInterruptOverride pci = madt.FindOverride(11) ?? throw new CheckFailedException("no override for IRQ 11");
                Assert.Equal(InterruptTrigger.Level, pci.Trigger, "IRQ 11 trigger");
                Assert.Equal(InterruptPolarity.ActiveHigh, pci.Polarity, "IRQ 11 polarity");
            });

            tests.Add("acpi.mcfg-ecam-window", () =>
            {
                IReadOnlyList<EcamRegion> regions = Tables().EcamRegions;
                if (!machine.IsQ35)
                {
                    Assert.Equal(0, regions.Count, "ECAM windows on -M pc (no MCFG)");
                    return;
                }

                Assert.Equal(1, regions.Count, "ECAM windows on q35");
                Assert.Equal(new EcamRegion(0xB000_0000, 0, 0, 255), regions[0], "q35 ECAM window");
            });
        }

        private static AcpiTables Tables() => AcpiTables.Current ?? throw new CheckFailedException("no ACPI tables: " + AcpiTables.LoadError);

        private static bool Has(AcpiTables tables, string signature)
        {
            foreach (AcpiTableInfo table in tables.Tables)
            {
                if (table.Signature == signature)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Signatures(AcpiTables tables)
        {
            var names = new List<string>();
            foreach (AcpiTableInfo table in tables.Tables)
            {
                names.Add(table.Signature);
            }

            return string.Join(",", names);
        }
    }
}
