namespace Cosmos.Core.InterruptControllers
{
    /// <summary>
    /// The two legacy 8259A PICs. The APICs replace them, but they must not deliver on the CPU
    /// exception vectors their power-on state uses, so they are remapped to 0x20-0x2F (where a
    /// spurious IRQ 7 or 15 lands harmlessly) and every line is masked (Intel 8259A datasheet, ICW1-4).
    /// </summary>
    public static class Pic8259
    {
        private const ushort MasterCommand = 0x20, MasterData = 0x21, SlaveCommand = 0xA0, SlaveData = 0xA1;
        private const byte Icw1InitWithIcw4 = 0x11, Icw4Mode8086 = 0x01;

        /// <summary>First vector the master PIC uses after <see cref="RemapAndMaskAll"/>; the slave follows at +8.</summary>
        public const int VectorBase = 0x20;

        /// <summary>Reprograms both PICs to vectors 0x20-0x2F and masks all sixteen lines.</summary>
        public static void RemapAndMaskAll()
        {
            Write(MasterCommand, Icw1InitWithIcw4);
            Write(SlaveCommand, Icw1InitWithIcw4);
            Write(MasterData, VectorBase);            // ICW2: vector offsets
            Write(SlaveData, VectorBase + 8);
            Write(MasterData, 0x04);                  // ICW3: slave on IR2
            Write(SlaveData, 0x02);                   //       slave identity 2
            Write(MasterData, Icw4Mode8086);
            Write(SlaveData, Icw4Mode8086);
            Write(MasterData, 0xFF);                  // OCW1: mask everything
            Write(SlaveData, 0xFF);
        }

        /// <summary>The interrupt mask registers, slave in the high byte (0xFFFF = all masked).</summary>
        public static ushort Mask => (ushort)(Native.InB(MasterData) | (Native.InB(SlaveData) << 8));

        // Old PICs need a moment between initialisation words; a write to the POST port takes about 1 µs.
        private static void Write(ushort port, byte value)
        {
            Native.OutB(port, value);
            Native.OutB(0x80, 0);
        }
    }
}
