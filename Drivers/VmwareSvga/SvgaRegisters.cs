namespace Cosmos.Drivers.VmwareSvga
{
    /// <summary>
    /// The VMware SVGA II adapter's registers and FIFO layout, named as VMware's SVGA device interface
    /// (svga_reg.h of the VMware SVGA Device Developer Kit) names them. Registers are reached through BAR0's I/O
    /// ports: a 32-bit write of the register's index to <see cref="IndexPort"/>, then a 32-bit read or write of
    /// <see cref="ValuePort"/>. BAR1 is the framebuffer (VRAM), BAR2 the command FIFO's memory.
    /// </summary>
    internal static class SvgaRegisters
    {
        /// <summary>Offsets in the I/O BAR (SVGA II: byte offsets, not multiplied by 4 as on the first SVGA).</summary>
        public const ulong IndexPort = 0, ValuePort = 1;

        /// <summary>The I/O window the driver maps: the 32-bit value port at offset 1 ends at byte 5; SVGA II's BAR0 is 16 ports.</summary>
        public const ulong PortWindowLength = 8;

        /// <summary>SVGA_MAKE_ID(2): magic 0x900000 shifted up a byte, version 2.</summary>
        public const uint Id2 = 0x90000002, Id1 = 0x90000001, Id0 = 0x90000000;

        public const uint Id = 0;
        public const uint Enable = 1;
        public const uint Width = 2;
        public const uint Height = 3;
        public const uint MaxWidth = 4;
        public const uint MaxHeight = 5;
        public const uint Depth = 6;
        public const uint BitsPerPixel = 7;
        public const uint PseudoColor = 8;
        public const uint RedMask = 9;
        public const uint GreenMask = 10;
        public const uint BlueMask = 11;
        public const uint BytesPerLine = 12;
        public const uint FbStart = 13;
        public const uint FbOffset = 14;
        public const uint VramSize = 15;
        public const uint FbSize = 16;
        public const uint Capabilities = 17;
        public const uint MemStart = 18;
        public const uint MemSize = 19;
        public const uint ConfigDone = 20;
        public const uint Sync = 21;
        public const uint Busy = 22;
        public const uint GuestId = 23;

        /// <summary>SVGA_REG_GUEST_ID value for "other" operating systems (GUEST_OS_OTHER, 0x500A).</summary>
        public const uint GuestOsOther = 0x500A;

        /// <summary>FIFO registers, as 32-bit word indices from the FIFO's start.</summary>
        public const int FifoMin = 0, FifoMax = 1, FifoNextCmd = 2, FifoStop = 3;

        /// <summary>
        /// Where commands start: after the four original FIFO registers. (With SVGA_CAP_EXTENDED_FIFO a driver may
        /// reserve more registers; this driver uses none of them.)
        /// </summary>
        public const uint FifoCommandsStart = 4 * 4;

        /// <summary>The interface asks for at least 10 KiB between FIFO_MIN and FIFO_MAX.</summary>
        public const uint FifoMinimumCommandBytes = 10 * 1024;

        /// <summary>SVGA_CMD_UPDATE: x, y, width, height follow (5 words in all).</summary>
        public const uint CmdUpdate = 1;
    }
}
