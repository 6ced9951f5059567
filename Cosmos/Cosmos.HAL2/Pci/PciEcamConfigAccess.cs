using System;
using System.Collections.Generic;
using Cosmos.Core.Acpi;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// The enhanced configuration access mechanism (PCI Express Base 4.0 §7.2.2): each function's
    /// 4 KiB of configuration space is memory at a fixed place in an MCFG window.
    /// </summary>
    public sealed class PciEcamConfigAccess : IPciConfigAccess
    {
        private readonly EcamRegion[] _regions;
        private readonly IRegisterBlock[] _windows;
        private readonly PciRootBus[] _roots;

        /// <summary>Maps every window of <paramref name="regions"/> through <paramref name="platform"/>.</summary>
        public PciEcamConfigAccess(IReadOnlyList<EcamRegion> regions, IPciPlatform platform)
        {
            ArgumentNullException.ThrowIfNull(regions);
            ArgumentNullException.ThrowIfNull(platform);
            if (regions.Count == 0)
            {
                throw new ArgumentException("ECAM needs at least one MCFG window", nameof(regions));
            }

            _regions = new EcamRegion[regions.Count];
            _windows = new IRegisterBlock[regions.Count];
            _roots = new PciRootBus[regions.Count];
            for (int i = 0; i < regions.Count; i++)
            {
                _regions[i] = regions[i];
                _windows[i] = platform.MapMemory(regions[i].BaseAddress, regions[i].Length);
                _roots[i] = new PciRootBus(regions[i].Segment, regions[i].StartBus);
            }
        }

        /// <inheritdoc />
        public string Description
        {
            get
            {
                EcamRegion first = _regions[0];
                string text = $"ecam 0x{first.BaseAddress:x} (segment {first.Segment}, buses {first.StartBus}-{first.EndBus})";
                return _regions.Length == 1 ? text : text + $" and {_regions.Length - 1} more";
            }
        }

        /// <inheritdoc />
        public int ConfigSpaceSize => 4096;

        /// <inheritdoc />
        public IReadOnlyList<PciRootBus> RootBuses => _roots;

        /// <summary>The MCFG windows.</summary>
        public IReadOnlyList<EcamRegion> Regions => _regions;

        /// <inheritdoc />
        public bool Covers(ushort segment, byte bus) => Find(segment, bus) >= 0;

        /// <inheritdoc />
        public byte Read8(PciAddress address, int offset) => Window(address, offset, out ulong at).Read8(at);

        /// <inheritdoc />
        public ushort Read16(PciAddress address, int offset) => Window(address, offset, out ulong at).Read16(at);

        /// <inheritdoc />
        public uint Read32(PciAddress address, int offset) => Window(address, offset, out ulong at).Read32(at);

        /// <inheritdoc />
        public void Write8(PciAddress address, int offset, byte value) => Window(address, offset, out ulong at).Write8(at, value);

        /// <inheritdoc />
        public void Write16(PciAddress address, int offset, ushort value) => Window(address, offset, out ulong at).Write16(at, value);

        /// <inheritdoc />
        public void Write32(PciAddress address, int offset, uint value) => Window(address, offset, out ulong at).Write32(at, value);

        private int Find(ushort segment, byte bus)
        {
            for (int i = 0; i < _regions.Length; i++)
            {
                if (_regions[i].Covers(segment, bus))
                {
                    return i;
                }
            }

            return -1;
        }

        private IRegisterBlock Window(PciAddress address, int offset, out ulong windowOffset)
        {
            int index = Find(address.Segment, address.Bus);
            if (index < 0 || (uint)offset >= 4096 || address.Device > 31 || address.Function > 7)
            {
                throw new ArgumentOutOfRangeException(nameof(address), $"{address} +0x{offset:x} is outside every ECAM window");
            }

            windowOffset = ((ulong)(address.Bus - _regions[index].StartBus) << 20) | ((ulong)address.Device << 15) | ((ulong)address.Function << 12) | (uint)offset;
            return _windows[index];
        }
    }
}
