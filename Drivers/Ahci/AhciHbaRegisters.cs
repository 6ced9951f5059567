namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// Generic host control registers at the start of the ABAR (BAR5), AHCI 1.3.1 §3.1, with the bits
    /// this driver uses, named as the specification names them.
    /// </summary>
    internal static class AhciHbaRegisters
    {
        /// <summary>Host Capabilities (§3.1.1).</summary>
        public const ulong CAP = 0x00;

        /// <summary>Global HBA Control (§3.1.2).</summary>
        public const ulong GHC = 0x04;

        /// <summary>Interrupt Status (§3.1.3).</summary>
        public const ulong IS = 0x08;

        /// <summary>Ports Implemented (§3.1.4).</summary>
        public const ulong PI = 0x0C;

        /// <summary>Version (§3.1.5).</summary>
        public const ulong VS = 0x10;

        /// <summary>Host Capabilities Extended (§3.1.10).</summary>
        public const ulong CAP2 = 0x24;

        /// <summary>Port register sets start here, 0x80 bytes each (§3.3).</summary>
        public const ulong PortBase = 0x100;

        /// <summary>Size of one port's register set.</summary>
        public const ulong PortStride = 0x80;

        /// <summary>CAP.NP: number of ports minus one (bits 4:0).</summary>
        public const uint CAP_NP_Mask = 0x1F;

        /// <summary>CAP.NCS: number of command slots minus one (bits 12:8).</summary>
        public const int CAP_NCS_Shift = 8;

        /// <summary>CAP.SSS: supports staggered spin-up.</summary>
        public const uint CAP_SSS = 1u << 27;

        /// <summary>CAP.S64A: supports 64-bit addressing.</summary>
        public const uint CAP_S64A = 1u << 31;

        /// <summary>GHC.HR: HBA reset; the HBA clears it when the reset is done (§10.4.3).</summary>
        public const uint GHC_HR = 1u << 0;

        /// <summary>GHC.IE: interrupt enable.</summary>
        public const uint GHC_IE = 1u << 1;

        /// <summary>GHC.AE: AHCI enable.</summary>
        public const uint GHC_AE = 1u << 31;

        /// <summary>The ABAR span this driver maps: generic registers plus 32 ports.</summary>
        public const ulong WindowLength = PortBase + (32 * PortStride);

        /// <summary>The offset of register <paramref name="register"/> of port <paramref name="port"/>.</summary>
        public static ulong Port(int port, ulong register) => PortBase + ((ulong)port * PortStride) + register;
    }
}
