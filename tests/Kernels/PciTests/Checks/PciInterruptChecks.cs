using System.Threading;
using Cosmos.Core.Acpi;
using Cosmos.Core.InterruptControllers;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Cosmos.TestKit;

namespace PciTests.Checks
{
    /// <summary>
    /// Real device interrupts: virtio-blk completing a GET_ID request through MSI-X and then
    /// through INTx on the I/O APIC, and QEMU's edu device raising MSI and INTx on demand
    /// (its register 0x60 raises, 0x64 acknowledges, 0x24 is the status: QEMU hw/misc/edu.c).
    /// </summary>
    internal static class PciInterruptChecks
    {
        private const string ExpectedSerial = "cosmos-pci-test";
        private const ulong EduRaise = 0x60, EduAcknowledge = 0x64, EduStatus = 0x24;

        private static int s_queueInterrupts;
        private static int s_configInterrupts;
        private static int s_eduInterrupts;

        public static void Register(TestRunner tests, MachineUnderTest machine)
        {
            tests.Add("pci.virtio-blk-msix-device-interrupt", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                IInterruptSource source = blk.EnableInterrupts(2);
                Assert.Equal(InterruptMode.MsiX, source.Mode, "mode: " + blk.InterruptDescription);
                Assert.Equal(2, source.VectorCount, "MSI-X vectors");
                s_queueInterrupts = 0;
                s_configInterrupts = 0;
                source.SetHandler(0, () => s_configInterrupts++);
                source.SetHandler(1, () => s_queueInterrupts++);
                var dma = new DmaAllocator();
                LegacyVirtioBlkProbe probe = LegacyVirtioBlkProbe.Start(blk.MapBar(0, 0, 0x80), dma, queueMsixEntry: 1);
                try
                {
                    probe.SubmitGetId();
                    Assert.True(Wait.Until(() => Volatile.Read(ref s_queueInterrupts) > 0), "the queue's MSI-X vector fired; used index " + probe.UsedIndex);
                    Assert.Equal((ushort)1, probe.UsedIndex, "requests completed");
                    Assert.Equal((byte)0, probe.Status, "request status");
                    Assert.Equal(ExpectedSerial, probe.Id, "GET_ID serial");
                    Assert.Equal(0, s_configInterrupts, "configuration-change vector stayed quiet");
                }
                finally
                {
                    probe.Stop();
                }
            });

            tests.Add("pci.virtio-blk-msix-table-programmed", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                var source = Assert.IsType<MsiXInterruptSource>(blk.Interrupts, "the MSI-X source from the check before");
                for (int index = 0; index < source.VectorCount; index++)
                {
                    (ulong address, uint data, uint control) = source.ReadEntry(index);
                    Assert.Equal(InterruptHardware.MsiAddress, address, $"entry {index} address");
                    Assert.Equal((uint)source.Vectors[index], data, $"entry {index} data (vector)");
                    Assert.Equal(0u, control & 1, $"entry {index} unmasked");
                    Assert.True(InterruptVectors.IsAllocated(source.Vectors[index]), $"vector 0x{source.Vectors[index]:x} allocated");
                }

                ushort control0 = blk.Config.Read16(blk.FindCapability(PciConfigRegisters.CapabilityMsiX)!.Value.Offset + 2);
                Assert.Equal(0x8000, control0 & 0xC000, "MSI-X enabled, function mask clear");
            });

            tests.Add("pci.virtio-blk-intx-through-ioapic", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                var msiX = (MsiXInterruptSource)blk.Interrupts!;
                int allocatedBefore = InterruptVectors.AllocatedCount;
                IInterruptSource source = blk.EnableInterrupts(1, InterruptMode.Intx);
                Assert.Equal(allocatedBefore - msiX.VectorCount + 1, InterruptVectors.AllocatedCount, "MSI-X vectors returned, one taken for the I/O APIC pin");

                var intx = Assert.IsType<IntxInterruptSource>(source, "mode: " + blk.InterruptDescription);
                LegacyInterruptRoute route = intx.Route;
                (uint gsi, bool level, bool activeLow) = LegacyInterrupts.Resolve(AcpiTables.Current?.Madt, blk.InterruptLine, isPci: true);
                Assert.Equal(gsi, route.Gsi, "GSI from the interrupt line and the MADT overrides");
                Assert.True(route.LevelTriggered == level && route.ActiveLow == activeLow, "trigger and polarity: " + route);
                ulong entry = InterruptHardware.FindIoApic(route.Gsi)!.ReadEntry(route.Pin);
                Assert.Equal((ulong)route.Vector, entry & 0xFF, $"I/O APIC pin {route.Pin} vector (entry 0x{entry:x})");
                Assert.Equal(0UL, entry & (1UL << 16), "pin unmasked");
                Assert.Equal(level ? 1UL << 15 : 0, entry & (1UL << 15), "pin trigger mode");
                Assert.Equal(0, blk.Config.Read16(0x04) & 0x400, "INTx enabled in the command register");

                var dma = new DmaAllocator();
                LegacyVirtioBlkProbe probe = LegacyVirtioBlkProbe.Start(blk.MapBar(0, 0, 0x80), dma);
                s_queueInterrupts = 0;
                source.SetHandler(0, () =>
                {
                    // Reading the ISR deasserts the level-triggered line (VirtIO 1.2 §4.1.4.5).
                    if ((probe.ReadIsr() & 1) != 0)
                    {
                        s_queueInterrupts++;
                    }
                });
                try
                {
                    probe.SubmitGetId();
                    Assert.True(Wait.Until(() => Volatile.Read(ref s_queueInterrupts) > 0), $"INTx through {route} fired; used index {probe.UsedIndex}");
                    Assert.Equal(ExpectedSerial, probe.Id, "GET_ID serial");
                    Assert.False(Wait.Until(() => Volatile.Read(ref s_queueInterrupts) > 1, 50), "one interrupt per completion (the line was deasserted)");
                }
                finally
                {
                    probe.Stop();
                    blk.DisableInterrupts();
                }

                Assert.Null(LegacyInterrupts.Find(route.Gsi), "GSI released once nothing uses it");
            });

            tests.Add("pci.edu-msi-device-interrupt", () =>
            {
                PciFunction edu = machine.Edu;
                Assert.Null(edu.FindCapability(PciConfigRegisters.CapabilityMsiX), "edu has no MSI-X");
                IInterruptSource source = edu.EnableInterrupts(1);
                var msi = Assert.IsType<MsiInterruptSource>(source, "mode: " + edu.InterruptDescription + " after " + string.Join("; ", edu.InterruptFallbacks));
                Assert.True(msi.Is64Bit, "edu's MSI capability is 64-bit");
                RaiseEduInterrupt(edu, source, "MSI");
                edu.DisableInterrupts();
            });

            tests.Add("pci.edu-intx-behind-bridge", () =>
            {
                PciFunction edu = machine.Edu;
                IInterruptSource source = edu.EnableInterrupts(1, InterruptMode.Intx);
                var intx = Assert.IsType<IntxInterruptSource>(source, "mode: " + edu.InterruptDescription + " after " + string.Join("; ", edu.InterruptFallbacks));
                RaiseEduInterrupt(edu, source, "INTx via " + intx.Route);
                edu.DisableInterrupts();
            });

            tests.Add("pci.polled-when-asked-for-no-vectors", () =>
            {
                PciFunction edu = machine.Edu;
                IInterruptSource source = edu.EnableInterrupts(0);
                Assert.Equal(InterruptMode.Polled, source.Mode, "mode");
                Assert.Equal(0, source.VectorCount, "vectors");
                Assert.Throws<System.ArgumentOutOfRangeException>(() => source.SetHandler(0, () => { }), "a handler on a polled source");
                edu.DisableInterrupts();
            });
        }

        private static void RaiseEduInterrupt(PciFunction edu, IInterruptSource source, string how)
        {
            IRegisterBlock registers = edu.MapBar(0, 0, 0x100);
            Assert.Equal(0x010000EDu, registers.Read32(0x00), "edu identification register");
            s_eduInterrupts = 0;
            source.SetHandler(0, () =>
            {
                uint status = registers.Read32(EduStatus);
                registers.Write32(EduAcknowledge, status);
                s_eduInterrupts++;
            });
            registers.Write32(EduRaise, 0x5A);
            Assert.True(Wait.Until(() => Volatile.Read(ref s_eduInterrupts) > 0), $"edu {how} reached its handler");
            Assert.Equal(0u, registers.Read32(EduStatus), "edu interrupt status acknowledged");
            Assert.False(Wait.Until(() => Volatile.Read(ref s_eduInterrupts) > 1, 50), "one interrupt for one raise");
        }
    }
}
