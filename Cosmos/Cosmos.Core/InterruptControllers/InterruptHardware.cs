using System;
using System.Collections.Generic;
using Cosmos.Core.Acpi;
using Cosmos.Core.Memory;

namespace Cosmos.Core.InterruptControllers
{
    /// <summary>
    /// Brings up interrupt delivery at boot: the 8259s remapped and masked, the local APIC
    /// enabled, every I/O APIC pin masked. Devices then get vectors from
    /// <see cref="InterruptVectors"/> and lines from <see cref="LegacyInterrupts"/>.
    /// </summary>
    public static unsafe class InterruptHardware
    {
        private static readonly List<IoApic> s_ioApics = new();

        /// <summary>True when the local APIC is up: MSI, MSI-X and I/O APIC routing work.</summary>
        public static bool IsApicMode { get; private set; }

        /// <summary>Why APIC mode is off, when it is.</summary>
        public static string? Error { get; private set; }

        /// <summary>The I/O APICs the MADT lists.</summary>
        public static IReadOnlyList<IoApic> IoApics => s_ioApics;

        /// <summary>The MSI address that targets this CPU's local APIC (physical destination, Intel SDM vol. 3 §11.11.1).</summary>
        public static ulong MsiAddress => 0xFEE0_0000UL | ((ulong)LocalApic.Id << 12);

        /// <summary>The MSI data for <paramref name="vector"/>: fixed delivery, edge-triggered (§11.11.2).</summary>
        public static uint MsiData(int vector) => (uint)(byte)vector;

        /// <summary>Sets up the controllers from <paramref name="madt"/>; without one only the 8259s are masked.</summary>
        public static void Initialize(Madt? madt)
        {
            Pic8259.RemapAndMaskAll();
            if (madt == null)
            {
                Error = "no usable MADT: interrupts stay off";
                return;
            }

            uint* registers = stackalloc uint[4];
            Native.CpuId(1, 0, registers);
            if ((registers[3] & (1u << 9)) == 0)
            {
                Error = "the CPU has no local APIC";
                return;
            }

            int nmiLint = 1;
            uint nmiFlags = 0;
            foreach (MadtLocalApicNmi nmi in madt.LocalApicNmis)
            {
                if (nmi.ProcessorUid == 0xFF || nmi.ProcessorUid == BootProcessorUid(madt))
                {
                    nmiLint = nmi.Lint;
                    nmiFlags = LocalApic.NmiFlags(nmi.Polarity == InterruptPolarity.ActiveLow, nmi.Trigger == InterruptTrigger.Level);
                }
            }

            nint localApic = Paging.MapMmio(madt.LocalApicAddress, 0x1000);
            LocalApic.Initialize(madt.LocalApicAddress, localApic, nmiLint, nmiFlags);
            foreach (MadtIoApic entry in madt.IoApics)
            {
                nint ioApic = Paging.MapMmio(entry.Address, 0x1000);
                s_ioApics.Add(new IoApic(entry.Id, entry.Address, ioApic, entry.GsiBase));
            }

            IsApicMode = true;
        }

        /// <summary>The I/O APIC whose pins include <paramref name="gsi"/>, or null.</summary>
        public static IoApic? FindIoApic(uint gsi)
        {
            foreach (IoApic ioApic in s_ioApics)
            {
                if (ioApic.Serves(gsi))
                {
                    return ioApic;
                }
            }

            return null;
        }

        private static unsafe byte BootProcessorUid(Madt madt)
        {
            byte id = LocalApicIdFromCpuid();
            foreach (MadtLocalApic entry in madt.LocalApics)
            {
                if (entry.ApicId == id)
                {
                    return entry.ProcessorUid;
                }
            }

            return 0;
        }

        private static unsafe byte LocalApicIdFromCpuid()
        {
            uint* registers = stackalloc uint[4];
            Native.CpuId(1, 0, registers);
            return (byte)(registers[1] >> 24);
        }
    }
}
