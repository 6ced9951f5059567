using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// 64-bit transport registers written as two 32-bit accesses, low half first, as VirtIO 1.2
    /// §4.1.3.1 (PCI common configuration) and §4.2.2 (MMIO Low/High pairs) require.
    /// </summary>
    internal static class Register64
    {
        public static void Write(IRegisterBlock block, ulong offset, ulong value)
        {
            block.Write32(offset, (uint)value);
            block.Write32(offset + 4, (uint)(value >> 32));
        }
    }
}
