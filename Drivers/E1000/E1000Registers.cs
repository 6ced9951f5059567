namespace Cosmos.Drivers.E1000
{
    /// <summary>
    /// Register offsets and bits of the 8254x family, named as in Intel's PCI/PCI-X Family of Gigabit
    /// Ethernet Controllers Software Developer's Manual (8254x SDM, 317453), §13.
    /// </summary>
    internal static class E1000Registers
    {
        // §13.4.1 Device Control.
        public const ulong Ctrl = 0x0000;
        public const uint CtrlLrst = 1u << 3;
        public const uint CtrlAsde = 1u << 5;
        public const uint CtrlSlu = 1u << 6;
        public const uint CtrlIlos = 1u << 7;
        public const uint CtrlRst = 1u << 26;
        public const uint CtrlVme = 1u << 30;
        public const uint CtrlPhyRst = 1u << 31;

        // §13.4.2 Device Status.
        public const ulong Status = 0x0008;
        public const uint StatusLu = 1u << 1;

        // §13.4.4 EEPROM Read: START at bit 0 and DATA in 31:16 on every part; DONE and ADDR move (E1000Model).
        public const ulong Eerd = 0x0014;
        public const uint EerdStart = 1u << 0;
        public const int EerdDataShift = 16;

        // §13.4.17-21 Interrupt Cause Read, Cause Set, Mask Set, Mask Clear.
        public const ulong Icr = 0x00C0;
        public const ulong Ims = 0x00D0;
        public const ulong Imc = 0x00D8;
        public const uint IcrTxdw = 1u << 0;
        public const uint IcrLsc = 1u << 2;
        public const uint IcrRxseq = 1u << 3;
        public const uint IcrRxdmt0 = 1u << 4;
        public const uint IcrRxo = 1u << 6;
        public const uint IcrRxt0 = 1u << 7;

        // 82574 datasheet §10.2.4.1: with MSI-X, receive and transmit on queue 0 and everything else raise these instead.
        public const uint IcrRxq0 = 1u << 20;
        public const uint IcrTxq0 = 1u << 22;
        public const uint IcrOther = 1u << 24;

        /// <summary>The causes that mean "look at the receive ring".</summary>
        public const uint ReceiveCauses = IcrRxt0 | IcrRxo | IcrRxdmt0 | IcrRxseq | IcrRxq0;

        // 82574 datasheet §10.2.4.9 Interrupt Vector Allocation: per cause a 3-bit vector and a valid bit;
        // RxQ0 in bits 3:0, TxQ0 in 11:8, Other in 19:16.
        public const ulong Ivar = 0x00E4;
        public const uint IvarAllToVector0 = 0x8u | (0x8u << 8) | (0x8u << 16);

        // §13.4.22 Receive Control.
        public const ulong Rctl = 0x0100;
        public const uint RctlEn = 1u << 1;
        public const uint RctlBam = 1u << 15;
        public const uint RctlSecrc = 1u << 26;

        /// <summary>RCTL.BSIZE = 00b with BSEX = 0: 2048-byte receive buffers.</summary>
        public const uint RctlBsize2048 = 0;

        // §13.4.33 Transmit Control: collision threshold 10h and collision distance 40h (full duplex), §14.5.
        public const ulong Tctl = 0x0400;
        public const uint TctlEn = 1u << 1;
        public const uint TctlPsp = 1u << 3;
        public const int TctlCtShift = 4;
        public const int TctlColdShift = 12;
        public const uint TctlCt = 0x10;
        public const uint TctlCold = 0x40;

        // §13.4.34 Transmit IPG: IPGT 10, IPGR1 8, IPGR2 6 for the 82540EM's copper interface.
        public const ulong Tipg = 0x0410;
        public const uint TipgValue = 10 | (8u << 10) | (6u << 20);

        // §13.4.27-31 Receive descriptor ring; §13.4.30 RDTR (receive delay timer).
        public const ulong Rdbal = 0x2800;
        public const ulong Rdbah = 0x2804;
        public const ulong Rdlen = 0x2808;
        public const ulong Rdh = 0x2810;
        public const ulong Rdt = 0x2818;
        public const ulong Rdtr = 0x2820;

        // §13.4.38-42 Transmit descriptor ring.
        public const ulong Tdbal = 0x3800;
        public const ulong Tdbah = 0x3804;
        public const ulong Tdlen = 0x3808;
        public const ulong Tdh = 0x3810;
        public const ulong Tdt = 0x3818;

        // §13.5.1 Multicast Table Array: 128 dwords.
        public const ulong Mta = 0x5200;
        public const int MtaEntries = 128;

        // §13.5.2-3 Receive Address 0; RAH.AV marks the entry valid.
        public const ulong Ral0 = 0x5400;
        public const ulong Rah0 = 0x5404;
        public const uint RahAv = 1u << 31;

        /// <summary>The registers this driver touches end below this offset (BAR0 is 128 KiB on the 82540EM).</summary>
        public const ulong MinimumWindowLength = 0x5800;

        /// <summary>BAR0's size on the 82540EM (§4.1, Table 4-2).</summary>
        public const ulong WindowLength = 0x20000;

        /// <summary>Descriptor rings are a multiple of 128 bytes (RDLEN/TDLEN, §3.2.6 and §3.3.3).</summary>
        public const int RingAlignment = 128;
    }
}
