namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// BAR arithmetic (PCI Local Bus 3.0 §6.2.5.1): what a BAR decodes, from the value it held and
    /// the value read back after all ones were written. The size is the lowest address bit the
    /// device lets software set; read-only low bits give the kind.
    /// </summary>
    public static class PciBarDecoder
    {
        private const uint IoSpaceBit = 0x1, MemoryTypeMask = 0x6, MemoryType64 = 0x4, PrefetchableBit = 0x8;

        /// <summary>True when the BAR value (original or sized) describes the lower half of a 64-bit memory BAR.</summary>
        public static bool Is64Bit(uint barValue) => (barValue & IoSpaceBit) == 0 && (barValue & MemoryTypeMask) == MemoryType64;

        /// <summary>
        /// Decodes one BAR. For a 64-bit BAR pass the upper half's original and sized values too
        /// (<paramref name="originalHigh"/>, <paramref name="sizedHigh"/>); otherwise 0. A BAR whose
        /// sized value has no writable address bit is <see cref="PciBarKind.None"/>.
        /// </summary>
        public static PciBar Decode(int index, uint original, uint sized, uint originalHigh = 0, uint sizedHigh = 0)
        {
            if ((sized & IoSpaceBit) != 0)
            {
                // I/O BARs: bits 31-2 are address; a device decoding 16 bits returns 0 in 31-16.
                ulong ioMask = sized & 0xFFFF_FFFCu;
                ulong ioSize = LowestSetBit(ioMask);
                return ioSize == 0
                    ? new PciBar(index, PciBarKind.None, 0, 0, false)
                    : new PciBar(index, PciBarKind.Io, original & 0xFFFF_FFFCu, ioSize, false);
            }

            bool prefetchable = (sized & PrefetchableBit) != 0;
            if ((sized & MemoryTypeMask) == MemoryType64)
            {
                ulong mask = ((ulong)sizedHigh << 32) | (sized & 0xFFFF_FFF0u);
                ulong size = LowestSetBit(mask);
                ulong address = ((ulong)originalHigh << 32) | (original & 0xFFFF_FFF0u);
                return size == 0
                    ? new PciBar(index, PciBarKind.None, 0, 0, false)
                    : new PciBar(index, PciBarKind.Memory64, address, size, prefetchable);
            }

            ulong memoryMask = sized & 0xFFFF_FFF0u;
            ulong memorySize = LowestSetBit(memoryMask);
            return memorySize == 0
                ? new PciBar(index, PciBarKind.None, 0, 0, false)
                : new PciBar(index, PciBarKind.Memory32, original & 0xFFFF_FFF0u, memorySize, prefetchable);
        }

        private static ulong LowestSetBit(ulong mask) => mask & (~mask + 1);
    }
}
