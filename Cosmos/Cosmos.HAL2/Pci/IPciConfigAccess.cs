using System.Collections.Generic;

namespace Cosmos.HAL.Pci
{
    /// <summary>A bus to start enumeration from: bus 0 of a segment, or an ECAM window's first bus.</summary>
    public readonly record struct PciRootBus(ushort Segment, byte Bus);

    /// <summary>
    /// A configuration mechanism: port I/O (0xCF8/0xCFC, 256 bytes per function, segment 0) or
    /// ECAM (4 KiB per function, the MCFG's windows). Offsets are naturally aligned for their width.
    /// </summary>
    public interface IPciConfigAccess
    {
        /// <summary>For listings: "port 0xcf8" or "ecam 0xb0000000 (segment 0, buses 0-255)".</summary>
        string Description { get; }

        /// <summary>Bytes of configuration space per function (256 or 4096).</summary>
        int ConfigSpaceSize { get; }

        /// <summary>Where enumeration starts.</summary>
        IReadOnlyList<PciRootBus> RootBuses { get; }

        /// <summary>True when this mechanism reaches <paramref name="segment"/>/<paramref name="bus"/>.</summary>
        bool Covers(ushort segment, byte bus);

        /// <summary>Reads a byte.</summary>
        byte Read8(PciAddress address, int offset);

        /// <summary>Reads 16 bits.</summary>
        ushort Read16(PciAddress address, int offset);

        /// <summary>Reads 32 bits.</summary>
        uint Read32(PciAddress address, int offset);

        /// <summary>Writes a byte.</summary>
        void Write8(PciAddress address, int offset, byte value);

        /// <summary>Writes 16 bits.</summary>
        void Write16(PciAddress address, int offset, ushort value);

        /// <summary>Writes 32 bits.</summary>
        void Write32(PciAddress address, int offset, uint value);
    }
}
