namespace Cosmos.HAL.Hardware
{
    /// <summary>
    /// A window of device registers: memory-mapped (a BAR, the MMIO transport window) or an I/O
    /// port range. Accesses are little-endian and of exactly the width named; a 64-bit register is
    /// two 32-bit accesses, low half first, as VirtIO allows. Offsets beyond <see cref="Length"/>
    /// throw <see cref="System.ArgumentOutOfRangeException"/>.
    /// </summary>
    public interface IRegisterBlock
    {
        /// <summary>For listings and errors: "mmio 0xfebf1000+0x1000", "io 0xc040+0x20".</summary>
        string Description { get; }

        /// <summary>Size of the window in bytes.</summary>
        ulong Length { get; }

        /// <summary>Reads an 8-bit register.</summary>
        byte Read8(ulong offset);

        /// <summary>Reads a 16-bit register.</summary>
        ushort Read16(ulong offset);

        /// <summary>Reads a 32-bit register.</summary>
        uint Read32(ulong offset);

        /// <summary>Writes an 8-bit register.</summary>
        void Write8(ulong offset, byte value);

        /// <summary>Writes a 16-bit register.</summary>
        void Write16(ulong offset, ushort value);

        /// <summary>Writes a 32-bit register.</summary>
        void Write32(ulong offset, uint value);
    }
}
