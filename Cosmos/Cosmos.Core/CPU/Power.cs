namespace Cosmos.Core
{
    /// <summary>Ending the machine: QEMU's isa-debug-exit device, ACPI-less fallbacks, halt.</summary>
    public static class Power
    {
        /// <summary>The port QEMU's <c>-device isa-debug-exit,iobase=0xf4,iosize=0x04</c> listens on.</summary>
        public const ushort DebugExitPort = 0xF4;

        /// <summary>
        /// Ends the machine with an exit code the host can read (QEMU exits with code*2+1 when the
        /// debug-exit device is present); on real hardware it halts forever.
        /// </summary>
        public static void Exit(byte code)
        {
            Native.OutB(DebugExitPort, code);
            HaltForever();
        }

        /// <summary>Powers off: QEMU's PIIX4 and ICH9 ACPI PM ports, then halt.</summary>
        public static void Shutdown()
        {
            Native.OutW(0x604, 0x2000);     // QEMU q35/ICH9 and the isa PM device: S5
            Native.OutW(0xB004, 0x2000);    // older QEMU/Bochs
            Native.OutW(0x4004, 0x3400);    // VirtualBox
            HaltForever();
        }

        /// <summary>Resets the CPU through the keyboard controller, then the PCI reset register.</summary>
        public static void Reboot()
        {
            for (int i = 0; i < 1000 && (Native.InB(0x64) & 0x02) != 0; i++)
            {
                Native.Pause();
            }

            Native.OutB(0x64, 0xFE);
            Native.OutB(0xCF9, 0x06);
            HaltForever();
        }

        /// <summary>Stops this CPU with interrupts off.</summary>
        public static void HaltForever()
        {
            while (true)
            {
                Native.DisableInterrupts();
                Native.Halt();
            }
        }
    }
}
