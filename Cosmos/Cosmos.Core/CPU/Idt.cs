using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosmos.Core
{
    /// <summary>
    /// The interrupt descriptor table and the task state segment. Every vector enters through
    /// Asm/interrupts.asm and reaches <see cref="Interrupts"/>; the double fault runs on its own
    /// stack (IST 1) so that a blown kernel stack still gets a report.
    /// </summary>
    public static unsafe class Idt
    {
        private const ushort KernelCodeSelector = 0x08;
        private const ushort TssSelector = 0x18;
        private const int DoubleFaultStackSize = 16 * 1024;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_idt_storage")]
        private static extern ulong* Storage(byte** tss, byte** doubleFaultStackTop, ulong** gdt, ulong** stubTable);

        /// <summary>Fills the IDT with the 256 stubs, installs the TSS and loads both.</summary>
        public static void Initialize()
        {
            byte* tss;
            byte* doubleFaultStackTop;
            ulong* gdt;
            ulong* stubs;
            ulong* idt = Storage(&tss, &doubleFaultStackTop, &gdt, &stubs);

            // TSS (SDM vol. 3 §8.7): IST1 at offset 0x24; the I/O map base past the end (no I/O bitmap).
            *(ulong*)(tss + 0x24) = (ulong)doubleFaultStackTop;
            *(ushort*)(tss + 0x66) = 104;
            ulong tssBase = (ulong)tss;
            const ulong tssLimit = 103;
            gdt[3] = tssLimit | ((tssBase & 0xFFFFFF) << 16) | (0x89UL << 40) | (((tssBase >> 24) & 0xFF) << 56);
            gdt[4] = tssBase >> 32;
            Native.LoadTaskRegister(TssSelector);

            for (int vector = 0; vector < 256; vector++)
            {
                ulong handler = stubs[vector];
                byte ist = vector == 8 ? (byte)1 : (byte)0;
                // 64-bit interrupt gate, present, DPL 0 (SDM vol. 3 §6.14.1).
                idt[vector * 2] = (handler & 0xFFFF) | ((ulong)KernelCodeSelector << 16) | ((ulong)ist << 32)
                    | (0x8EUL << 40) | (((handler >> 16) & 0xFFFF) << 48);
                idt[(vector * 2) + 1] = handler >> 32;
            }

            DescriptorPointer pointer;
            pointer.Limit = (256 * 16) - 1;
            pointer.Base = (ulong)idt;
            Native.LoadIdt(&pointer);
        }

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        private struct DescriptorPointer
        {
            public ushort Limit;
            public ulong Base;
        }
    }
}
