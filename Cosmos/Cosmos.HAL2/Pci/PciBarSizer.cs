using System.Collections.Generic;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// Sizes a function's BARs by writing all ones and reading back, restoring each BAR at once.
    /// Memory and I/O decoding are off meanwhile, so the device never answers at the all-ones
    /// address (PCI Local Bus 3.0 §6.2.5.1, implementation note).
    /// </summary>
    public static class PciBarSizer
    {
        /// <summary>The implemented BARs among the first <paramref name="barCount"/> (6 for a type 0 header, 2 for a bridge).</summary>
        public static IReadOnlyList<PciBar> Size(IPciConfigSpace config, int barCount)
        {
            var bars = new List<PciBar>();
            if (barCount == 0)
            {
                return bars;
            }

            ushort command = config.Read16(PciConfigRegisters.Command);
            config.Write16(PciConfigRegisters.Command,
                (ushort)(command & ~(PciConfigRegisters.CommandIoSpace | PciConfigRegisters.CommandMemorySpace)));
            for (int index = 0; index < barCount; index++)
            {
                int offset = PciConfigRegisters.Bar0 + (4 * index);
                uint original = config.Read32(offset);
                uint sized = Probe(config, offset, original);
                PciBar bar;
                if (PciBarDecoder.Is64Bit(sized) && index + 1 < barCount)
                {
                    uint originalHigh = config.Read32(offset + 4);
                    uint sizedHigh = Probe(config, offset + 4, originalHigh);
                    bar = PciBarDecoder.Decode(index, original, sized, originalHigh, sizedHigh);
                    index++;                                // the upper half is not a BAR of its own
                }
                else
                {
                    bar = PciBarDecoder.Decode(index, original, sized);
                }

                if (bar.Kind != PciBarKind.None)
                {
                    bars.Add(bar);
                }
            }

            config.Write16(PciConfigRegisters.Command, command);
            return bars;
        }

        private static uint Probe(IPciConfigSpace config, int offset, uint original)
        {
            config.Write32(offset, 0xFFFF_FFFF);
            uint sized = config.Read32(offset);
            config.Write32(offset, original);
            return sized;
        }
    }
}
