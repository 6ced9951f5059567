namespace Cosmos.Drivers.Ahci
{
    /// <summary>Port registers (offsets within a port's set), AHCI 1.3.1 §3.3, and the bits this driver uses.</summary>
    internal static class AhciPortRegisters
    {
        /// <summary>Command List Base Address, 1 KiB aligned (§3.3.1).</summary>
        public const ulong PxCLB = 0x00;

        /// <summary>Command List Base Address Upper 32 bits.</summary>
        public const ulong PxCLBU = 0x04;

        /// <summary>FIS Base Address, 256-byte aligned (§3.3.3).</summary>
        public const ulong PxFB = 0x08;

        /// <summary>FIS Base Address Upper 32 bits.</summary>
        public const ulong PxFBU = 0x0C;

        /// <summary>Interrupt Status (§3.3.5), write 1 to clear.</summary>
        public const ulong PxIS = 0x10;

        /// <summary>Interrupt Enable (§3.3.6).</summary>
        public const ulong PxIE = 0x14;

        /// <summary>Command and Status (§3.3.7).</summary>
        public const ulong PxCMD = 0x18;

        /// <summary>Task File Data (§3.3.8): ATA status in bits 7:0, error in 15:8.</summary>
        public const ulong PxTFD = 0x20;

        /// <summary>Signature (§3.3.9): the first D2H FIS's LBA and count bytes.</summary>
        public const ulong PxSIG = 0x24;

        /// <summary>SATA Status, SStatus (§3.3.10).</summary>
        public const ulong PxSSTS = 0x28;

        /// <summary>SATA Control, SControl (§3.3.11).</summary>
        public const ulong PxSCTL = 0x2C;

        /// <summary>SATA Error, SError (§3.3.12), write 1 to clear.</summary>
        public const ulong PxSERR = 0x30;

        /// <summary>SATA Active, for NCQ (§3.3.13).</summary>
        public const ulong PxSACT = 0x34;

        /// <summary>Command Issue (§3.3.14): one bit per slot, cleared by the HBA when the command is done.</summary>
        public const ulong PxCI = 0x38;

        /// <summary>PxCMD.ST: start processing the command list.</summary>
        public const uint PxCMD_ST = 1u << 0;

        /// <summary>PxCMD.SUD: spin-up device.</summary>
        public const uint PxCMD_SUD = 1u << 1;

        /// <summary>PxCMD.POD: power on device.</summary>
        public const uint PxCMD_POD = 1u << 2;

        /// <summary>PxCMD.FRE: FIS receive enable.</summary>
        public const uint PxCMD_FRE = 1u << 4;

        /// <summary>PxCMD.FR: FIS receive running.</summary>
        public const uint PxCMD_FR = 1u << 14;

        /// <summary>PxCMD.CR: command list running.</summary>
        public const uint PxCMD_CR = 1u << 15;

        /// <summary>PxIS.TFES: task file error status.</summary>
        public const uint PxIS_TFES = 1u << 30;

        /// <summary>PxIS.HBFS: host bus fatal error.</summary>
        public const uint PxIS_HBFS = 1u << 29;

        /// <summary>PxIS.HBDS: host bus data error.</summary>
        public const uint PxIS_HBDS = 1u << 28;

        /// <summary>PxIS.IFS: interface fatal error.</summary>
        public const uint PxIS_IFS = 1u << 27;

        /// <summary>The PxIS bits that end a command in error (§6.1.2).</summary>
        public const uint PxIS_FatalMask = PxIS_TFES | PxIS_HBFS | PxIS_HBDS | PxIS_IFS;

        /// <summary>PxTFD.STS.ERR.</summary>
        public const uint PxTFD_STS_ERR = 1u << 0;

        /// <summary>PxTFD.STS.DRQ.</summary>
        public const uint PxTFD_STS_DRQ = 1u << 3;

        /// <summary>PxTFD.STS.BSY.</summary>
        public const uint PxTFD_STS_BSY = 1u << 7;

        /// <summary>PxSSTS.DET (bits 3:0).</summary>
        public const uint PxSSTS_DET_Mask = 0xF;

        /// <summary>PxSSTS.DET = 3: device present and Phy communication established.</summary>
        public const uint PxSSTS_DET_Established = 3;

        /// <summary>PxSIG of an ATA disk.</summary>
        public const uint SignatureAta = 0x0000_0101;

        /// <summary>PxSIG of an ATAPI device (a CD-ROM).</summary>
        public const uint SignatureAtapi = 0xEB14_0101;
    }
}
