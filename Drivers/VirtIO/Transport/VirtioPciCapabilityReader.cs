using System.Collections.Generic;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// Walks a PCI function's capability list and reads its VirtIO vendor capabilities
    /// (VirtIO 1.2 §4.1.4). Regions are found this way, never by BAR number: QEMU moves them
    /// (virtio-gpu with hostmem uses BAR2).
    /// </summary>
    public static class VirtioPciCapabilityReader
    {
        /// <summary>Every VirtIO capability, in list order, including ones of types this driver does not use.</summary>
        public static List<VirtioPciCapability> ReadAll(IPciFunction function)
        {
            var found = new List<VirtioPciCapability>();
            IReadOnlyList<PciCapability> capabilities = function.Capabilities;
            for (int i = 0; i < capabilities.Count; i++)
            {
                PciCapability capability = capabilities[i];
                if (capability.Id != VirtioPciModernRegisters.PciCapabilityVendorSpecific)
                {
                    continue;
                }

                IPciConfigSpace config = function.Config;
                int at = capability.Offset;
                byte length = config.Read8(at + VirtioPciModernRegisters.CapLength);
                if (length < VirtioPciModernRegisters.CapMinimumLength)
                {
                    continue; // some other vendor's capability, or a truncated one
                }

                byte type = config.Read8(at + VirtioPciModernRegisters.CapConfigType);
                uint multiplier = 0;
                if (type == VirtioPciModernRegisters.NotifyConfig)
                {
                    if (length < VirtioPciModernRegisters.NotifyCapMinimumLength)
                    {
                        continue;
                    }

                    multiplier = config.Read32(at + VirtioPciModernRegisters.NotifyCapMultiplier);
                }

                found.Add(new VirtioPciCapability(
                    type,
                    config.Read8(at + VirtioPciModernRegisters.CapBar),
                    config.Read32(at + VirtioPciModernRegisters.CapOffset),
                    config.Read32(at + VirtioPciModernRegisters.CapRegionLength),
                    multiplier,
                    at));
            }

            return found;
        }

        /// <summary>
        /// The first capability of <paramref name="configType"/> whose BAR exists and holds the whole
        /// region (§4.1.4.1: use the first one the driver can support; ignore reserved BARs), or null.
        /// </summary>
        public static VirtioPciCapability? FindUsable(IPciFunction function, List<VirtioPciCapability> capabilities, byte configType)
        {
            for (int i = 0; i < capabilities.Count; i++)
            {
                VirtioPciCapability capability = capabilities[i];
                if (capability.ConfigType == configType && RegionFitsBar(function, capability))
                {
                    return capability;
                }
            }

            return null;
        }

        private static bool RegionFitsBar(IPciFunction function, VirtioPciCapability capability)
        {
            if (capability.Bar > VirtioPciModernRegisters.HighestBar)
            {
                return false;
            }

            IReadOnlyList<PciBar> bars = function.Bars;
            for (int i = 0; i < bars.Count; i++)
            {
                PciBar bar = bars[i];
                if (bar.Index == capability.Bar)
                {
                    return bar.Kind != PciBarKind.None && (ulong)capability.Offset + capability.Length <= bar.Size;
                }
            }

            return false;
        }
    }
}
