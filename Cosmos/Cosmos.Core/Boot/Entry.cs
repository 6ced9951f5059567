using System.Runtime.InteropServices;
using Cosmos.Core.Acpi;
using Cosmos.Core.InterruptControllers;
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
            AcpiTables.CaptureRsdp(info.AcpiRsdpAddress);
            Native.UnmapNullPage();
            Interrupts.Initialize();
            PhysicalMemory.Initialize(info);
            ProtectKernelImage();
            Debugging.GdbStub.StartIfRequested(info.CommandLine);
            InitializeInterruptDelivery();
            Threading.Scheduler.Initialize();
            Runtime.Gc.Finalization.StartFinalizerThread();
        }

        /// <summary>
        /// ACPI tables, then the interrupt controllers and the system timer, then <c>sti</c>. Every
        /// device source stays masked until a driver asks for it, so enabling interrupts here
        /// changes nothing for code that never does but the timer's tick. A failure is reported
        /// and leaves interrupts off; the boot goes on.
        /// </summary>
        private static void InitializeInterruptDelivery()
        {
            try
            {
                AcpiTables? tables = AcpiTables.Load();
                if (tables == null)
                {
                    Log("[acpi] no tables: " + AcpiTables.LoadError);
                }
                else
                {
                    foreach (string error in tables.Errors)
                    {
                        Log("[acpi] " + error);
                    }
                }

                InterruptHardware.Initialize(tables?.Madt);
                if (InterruptHardware.IsApicMode)
                {
                    StartSystemTimer();
                    Native.EnableInterrupts();
                }
                else
                {
                    Log("[interrupts] " + InterruptHardware.Error);
                }
            }
            catch (System.Exception exception)
            {
                Log("[interrupts] set-up failed, interrupts stay off: " + exception.Message);
            }
        }

        /// <summary>Least rights for the kernel's pages (Paging.ProtectKernelImage); without page frames the boot goes on with the boot map.</summary>
        private static void ProtectKernelImage()
        {
            try
            {
                Paging.ProtectKernelImage();
            }
            catch (System.Exception exception)
            {
                Log("[paging] kernel pages keep the boot map's rights (all writable and executable): " + exception.Message);
            }
        }

        /// <summary>The tick, calibrated while interrupts are still off. Without it timed waits spin.</summary>
        private static void StartSystemTimer()
        {
            try
            {
                SystemTimer.Start();
            }
            catch (System.Exception exception)
            {
                Log("[timer] " + exception.Message + "; timed waits will spin");
            }
        }

        private static void Log(string line)
        {
            SerialPort.WriteAscii(SerialPort.Com1, line);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
        }

        [UnmanagedCallersOnly(EntryPoint = "__cosmos_kernel_returned")]
        private static void KernelReturned() => Power.Shutdown();
    }
}
