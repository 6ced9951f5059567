using System.Collections.Generic;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// Walks the capability list (PCI Local Bus 3.0 §6.7): from the pointer at 0x34 (0x14 for a
    /// CardBus bridge), each entry's ID and next pointer. A list that points into the header, or
    /// loops, ends where it goes wrong: a malformed device must not hang enumeration.
    /// </summary>
    public static class PciCapabilityReader
    {
        private const int FirstCapabilityOffset = 0x40, MaximumCapabilities = 48;

        /// <summary>The capabilities in list order; <paramref name="problem"/> says why the walk stopped early, if it did.</summary>
        public static IReadOnlyList<PciCapability> Read(IPciConfigSpace config, int headerType, out string? problem)
        {
            problem = null;
            var capabilities = new List<PciCapability>();
            if ((config.Read16(PciConfigRegisters.Status) & PciConfigRegisters.StatusCapabilitiesList) == 0)
            {
                return capabilities;
            }

            int pointerOffset = headerType == 2 ? 0x14 : PciConfigRegisters.CapabilitiesPointer;
            int offset = config.Read8(pointerOffset) & 0xFC;
            var seen = new HashSet<int>();
            while (offset != 0)
            {
                if (offset < FirstCapabilityOffset || offset > 0xFC)
                {
                    problem = $"capability pointer 0x{offset:x2} points into the header";
                    break;
                }

                if (!seen.Add(offset) || capabilities.Count == MaximumCapabilities)
                {
                    problem = $"capability list loops back to 0x{offset:x2}";
                    break;
                }

                ushort header = config.Read16(offset);
                capabilities.Add(new PciCapability((byte)header, offset));
                offset = (header >> 8) & 0xFC;
            }

            return capabilities;
        }
    }
}
