namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// The 8042 keyboard controller as PCs have it (IBM PC/AT Technical Reference, "Keyboard Controller"; the
    /// OSDev wiki's "8042 PS/2 Controller" collects the same facts): two I/O ports, the controller's commands,
    /// its configuration byte, and the commands and answers of the keyboard and mouse behind it.
    /// </summary>
    internal static class I8042Registers
    {
        /// <summary>Data port: bytes from the devices and answers from the controller (read), bytes to a device or a command's argument (write).</summary>
        public const ushort DataPort = 0x60;

        /// <summary>Status register (read) and command register (write).</summary>
        public const ushort StatusCommandPort = 0x64;

        // Status register bits.
        public const byte StatusOutputFull = 0x01;
        public const byte StatusInputFull = 0x02;
        public const byte StatusAuxData = 0x20;
        public const byte StatusTimeout = 0x40;
        public const byte StatusParityError = 0x80;

        // Controller commands (written to 0x64).
        public const byte CommandReadConfig = 0x20;
        public const byte CommandWriteConfig = 0x60;
        public const byte CommandDisableAux = 0xA7;
        public const byte CommandEnableAux = 0xA8;
        public const byte CommandTestAux = 0xA9;
        public const byte CommandSelfTest = 0xAA;
        public const byte CommandTestKeyboard = 0xAB;
        public const byte CommandDisableKeyboard = 0xAD;
        public const byte CommandEnableKeyboard = 0xAE;
        public const byte CommandWriteAux = 0xD4;

        /// <summary>The self-test's "passed" answer.</summary>
        public const byte SelfTestPassed = 0x55;

        /// <summary>A port test's "passed" answer (1-4 name the failing line).</summary>
        public const byte PortTestPassed = 0x00;

        // Configuration byte bits.
        public const byte ConfigKeyboardInterrupt = 0x01;
        public const byte ConfigAuxInterrupt = 0x02;
        public const byte ConfigKeyboardClockDisabled = 0x10;
        public const byte ConfigAuxClockDisabled = 0x20;
        public const byte ConfigTranslation = 0x40;

        // Device commands and answers (keyboard and mouse share these values).
        public const byte DeviceSetLeds = 0xED;
        public const byte DeviceEnableReporting = 0xF4;
        public const byte DeviceSetDefaults = 0xF6;
        public const byte DeviceReset = 0xFF;
        public const byte DeviceAck = 0xFA;
        public const byte DeviceResend = 0xFE;
        public const byte DeviceSelfTestPassed = 0xAA;

        /// <summary>Keyboard "echo" answer.</summary>
        public const byte KeyboardEcho = 0xEE;

        /// <summary>Keyboard buffer overrun or key detection error (0x00 in set 2/translated, 0xFF in set 1).</summary>
        public const byte KeyboardError0 = 0x00, KeyboardError1 = 0xFF;

        /// <summary>The ISA interrupt lines of the two ports.</summary>
        public const int KeyboardIrq = 1, AuxIrq = 12;
    }
}
