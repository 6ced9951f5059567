using System;
using System.Collections.Generic;
using Cosmos.Core;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// Configuration mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2): the address goes to 0xCF8, the
    /// data moves through 0xCFC-0xCFF. The two steps run with interrupts off so a handler's own
    /// access cannot come between them. Segment 0 and the first 256 bytes only.
    /// </summary>
    public sealed class PciPortConfigAccess : IPciConfigAccess
    {
        private const ushort AddressPort = 0xCF8, DataPort = 0xCFC;

        private static readonly PciRootBus[] Roots = { new PciRootBus(0, 0) };

        /// <inheritdoc />
        public string Description => "port 0xcf8";

        /// <inheritdoc />
        public int ConfigSpaceSize => 256;

        /// <inheritdoc />
        public IReadOnlyList<PciRootBus> RootBuses => Roots;

        /// <inheritdoc />
        public bool Covers(ushort segment, byte bus) => segment == 0;

        /// <inheritdoc />
        public byte Read8(PciAddress address, int offset)
        {
            ulong flags = Select(address, offset);
            byte value = Native.InB((ushort)(DataPort + (offset & 3)));
            Native.RestoreFlags(flags);
            return value;
        }

        /// <inheritdoc />
        public ushort Read16(PciAddress address, int offset)
        {
            ulong flags = Select(address, offset);
            ushort value = Native.InW((ushort)(DataPort + (offset & 2)));
            Native.RestoreFlags(flags);
            return value;
        }

        /// <inheritdoc />
        public uint Read32(PciAddress address, int offset)
        {
            ulong flags = Select(address, offset);
            uint value = Native.InD(DataPort);
            Native.RestoreFlags(flags);
            return value;
        }

        /// <inheritdoc />
        public void Write8(PciAddress address, int offset, byte value)
        {
            ulong flags = Select(address, offset);
            Native.OutB((ushort)(DataPort + (offset & 3)), value);
            Native.RestoreFlags(flags);
        }

        /// <inheritdoc />
        public void Write16(PciAddress address, int offset, ushort value)
        {
            ulong flags = Select(address, offset);
            Native.OutW((ushort)(DataPort + (offset & 2)), value);
            Native.RestoreFlags(flags);
        }

        /// <inheritdoc />
        public void Write32(PciAddress address, int offset, uint value)
        {
            ulong flags = Select(address, offset);
            Native.OutD(DataPort, value);
            Native.RestoreFlags(flags);
        }

        /// <summary>The CONFIG_ADDRESS value: enable bit, bus, device, function, dword offset.</summary>
        public static uint ConfigAddress(PciAddress address, int offset) =>
            0x8000_0000u | ((uint)address.Bus << 16) | ((uint)(address.Device & 0x1F) << 11) | ((uint)(address.Function & 7) << 8) | (uint)(offset & 0xFC);

        private static ulong Select(PciAddress address, int offset)
        {
            if (address.Segment != 0 || (uint)offset > 0xFF)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"port configuration access reaches segment 0 offsets 0-0xff, not {address} +0x{offset:x}");
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            Native.OutD(AddressPort, ConfigAddress(address, offset));
            return flags;
        }
    }
}
