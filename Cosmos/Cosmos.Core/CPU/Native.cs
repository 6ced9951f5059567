using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Core
{
    /// <summary>
    /// The CPU instructions C# cannot express, implemented in Asm/runtime.asm. Direct calls with
    /// the managed calling convention (which on x64 SysV is the C convention for these signatures).
    /// </summary>
    public static unsafe class Native
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_outb")] public static extern void OutB(ushort port, byte value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_outw")] public static extern void OutW(ushort port, ushort value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_outd")] public static extern void OutD(ushort port, uint value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_inb")] public static extern byte InB(ushort port);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_inw")] public static extern ushort InW(ushort port);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_ind")] public static extern uint InD(ushort port);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_halt")] public static extern void Halt();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_cli")] public static extern void DisableInterrupts();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_sti")] public static extern void EnableInterrupts();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_save_flags_cli")] public static extern ulong SaveFlagsAndDisableInterrupts();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_restore_flags")] public static extern void RestoreFlags(ulong flags);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_read_flags")] public static extern ulong ReadFlags();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_pause")] public static extern void Pause();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_rdtsc")] public static extern ulong ReadTimestampCounter();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_read_cr2")] public static extern ulong ReadCr2();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_read_cr3")] public static extern ulong ReadCr3();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_write_cr3")] public static extern void WriteCr3(ulong value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_invlpg")] public static extern void InvalidatePage(ulong address);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_rdmsr")] public static extern ulong ReadMsr(uint msr);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_wrmsr")] public static extern void WriteMsr(uint msr, ulong value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_lidt")] public static extern void LoadIdt(void* descriptor);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_lgdt")] public static extern void LoadGdt(void* descriptor);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_ltr")] public static extern void LoadTaskRegister(ushort selector);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_read_rsp")] public static extern nuint ReadStackPointer();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_read_rbp")] public static extern nuint ReadFramePointer();
        /// <summary>sti; hlt as one step: waits for the next interrupt without missing one that arrives after a check made with interrupts off.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_sti_hlt")] public static extern void EnableInterruptsAndHalt();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_unmap_null_page")] public static extern void UnmapNullPage();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_cpuid")] public static extern void CpuId(uint leaf, uint subleaf, uint* eaxEbxEcxEdx);

        /// <summary>RDRAND: true with a hardware random value, false when the CPU's generator had none ready. Check CPUID first.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_rdrand")] public static extern bool ReadRandom(ulong* value);
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_rdseed")] public static extern bool ReadRandomSeed(ulong* value);
    }
}
