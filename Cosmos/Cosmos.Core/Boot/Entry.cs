using System.Runtime.InteropServices;
using Cosmos.Core.IO;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Boot
{
    /// <summary>
    /// Called by Asm/startup.asm once the class library's modules are initialised, before the
    /// kernel's own entry: brings up the serial console, the memory map and the CPU tables.
    /// </summary>
    internal static class Entry
    {
        [UnmanagedCallersOnly(EntryPoint = "__cosmos_boot_entry")]
        private static void BootEntry(uint protocol, uint bootInformationAddress)
        {
            SerialPort.Initialize(SerialPort.Com1);
            Tsc.Calibrate();                // the clock's zero: uptimes count from here
            BootInfo info = BootInfoParser.Parse((BootProtocol)protocol, bootInformationAddress);
            BootInfo.Current = info;
            Native.UnmapNullPage();
            Interrupts.Initialize();
            PhysicalMemory.Initialize(info);
        }

        [UnmanagedCallersOnly(EntryPoint = "__cosmos_kernel_returned")]
        private static void KernelReturned() => Power.Shutdown();
    }
}
