using System;
using System.Collections.Generic;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.Tests.Fakes
{
    /// <summary>
    /// A PCI function with a real configuration space (capabilities written as bytes and linked by
    /// their next pointers), BARs backed by simulated register spaces, and interrupts of a chosen kind.
    /// </summary>
    internal sealed class FakePciFunction : IPciFunction
    {
        private const int FirstCapabilityOffset = 0x40;

        private readonly ConfigSpace _config = new();
        private readonly List<PciBar> _bars = new();
        private readonly Dictionary<int, IRegisterSpace> _barSpaces = new();
        private readonly List<PciCapability> _capabilities = new();
        private int _nextCapabilityOffset = FirstCapabilityOffset;

        public FakePciFunction(ushort deviceId, ushort subsystemId, ushort vendorId = 0x1AF4)
        {
            VendorId = vendorId;
            DeviceId = deviceId;
            SubsystemId = subsystemId;
        }

        public PciAddress Address { get; } = new(0, 0, 4, 0);

        public ushort VendorId { get; }

        public ushort DeviceId { get; }

        public byte Revision => 0;

        public ushort SubsystemId { get; }

        public byte ClassCode { get; init; } = 0x01;

        public byte Subclass { get; init; }

        public byte ProgIf { get; init; }

        public IPciConfigSpace Config => _config;

        public IReadOnlyList<PciBar> Bars => _bars;

        public IReadOnlyList<PciCapability> Capabilities => _capabilities;

        /// <summary>What <see cref="EnableInterrupts"/> can give.</summary>
        public InterruptMode OfferedMode { get; set; } = InterruptMode.MsiX;

        /// <summary>MSI-X table size.</summary>
        public int OfferedVectors { get; set; } = 8;

        /// <summary>The source handed out, once interrupts were enabled.</summary>
        public FakeInterruptSource? Interrupts { get; private set; }

        public int WantedVectors { get; private set; }

        /// <summary>Lets the simulated device learn whether MSI-X is on (legacy moves its configuration then).</summary>
        public Action<FakeInterruptSource>? InterruptsEnabled { get; set; }

        public List<string> MappedWindows { get; } = new();

        public void AddBar(int index, PciBarKind kind, ulong size, IRegisterSpace space)
        {
            _bars.Add(new PciBar(index, kind, kind == PciBarKind.Io ? 0xC000UL : 0xFE00_0000UL + ((ulong)index << 20), size, false));
            _barSpaces[index] = space;
        }

        /// <summary>Appends a capability (bytes from the length byte on) and links it into the list.</summary>
        public int AddCapability(byte id, byte[] body)
        {
            int at = _nextCapabilityOffset;
            _config.Bytes[at] = id;
            _config.Bytes[at + 1] = 0;
            Array.Copy(body, 0, _config.Bytes, at + 2, body.Length);
            if (_capabilities.Count == 0)
            {
                _config.Bytes[0x34] = (byte)at;
            }
            else
            {
                _config.Bytes[_capabilities[^1].Offset + 1] = (byte)at;
            }

            _capabilities.Add(new PciCapability(id, at));
            _nextCapabilityOffset = (at + 2 + body.Length + 3) & ~3;
            return at;
        }

        /// <summary>A <c>virtio_pci_cap</c> (VirtIO 1.2 §4.1.4), with <c>notify_off_multiplier</c> for notify caps.</summary>
        public int AddVirtioCapability(byte configType, byte bar, uint offset, uint length, uint? notifyMultiplier = null)
        {
            int capLength = notifyMultiplier is null ? 16 : 20;
            var body = new byte[capLength - 2];
            body[0] = (byte)capLength;      // cap_len
            body[1] = configType;           // cfg_type
            body[2] = bar;                  // bar
            body[3] = 0;                    // id
            BitConverter.TryWriteBytes(body.AsSpan(6), offset);
            BitConverter.TryWriteBytes(body.AsSpan(10), length);
            if (notifyMultiplier is uint multiplier)
            {
                BitConverter.TryWriteBytes(body.AsSpan(14), multiplier);
            }

            return AddCapability(0x09, body);
        }

        public IRegisterBlock MapBar(int barIndex, ulong offset, ulong length)
        {
            foreach (PciBar bar in _bars)
            {
                if (bar.Index == barIndex)
                {
                    if (offset + length > bar.Size)
                    {
                        throw new ArgumentException($"window 0x{offset:x}+0x{length:x} exceeds bar{barIndex} of 0x{bar.Size:x}");
                    }

                    string description = $"{(bar.Kind == PciBarKind.Io ? "io" : "mmio")} bar{barIndex}+0x{offset:x}";
                    MappedWindows.Add(description);
                    return new RegisterWindow(_barSpaces[barIndex], offset, length, description);
                }
            }

            throw new ArgumentException($"no bar{barIndex}");
        }

        public IInterruptSource EnableInterrupts(int wantedVectors)
        {
            WantedVectors = wantedVectors;
            Interrupts = OfferedMode switch
            {
                InterruptMode.MsiX => new FakeInterruptSource(InterruptMode.MsiX, Math.Min(wantedVectors, OfferedVectors)),
                InterruptMode.Msi => new FakeInterruptSource(InterruptMode.Msi, 1),
                InterruptMode.Intx => new FakeInterruptSource(InterruptMode.Intx, 1),
                _ => new FakeInterruptSource(InterruptMode.Polled, 0),
            };
            InterruptsEnabled?.Invoke(Interrupts);
            return Interrupts;
        }

        private sealed class ConfigSpace : IPciConfigSpace
        {
            public byte[] Bytes { get; } = new byte[256];

            public byte Read8(int offset) => Bytes[offset];

            public ushort Read16(int offset) => BitConverter.ToUInt16(Bytes, offset);

            public uint Read32(int offset) => BitConverter.ToUInt32(Bytes, offset);

            public void Write8(int offset, byte value) => Bytes[offset] = value;

            public void Write16(int offset, ushort value) => BitConverter.TryWriteBytes(Bytes.AsSpan(offset), value);

            public void Write32(int offset, uint value) => BitConverter.TryWriteBytes(Bytes.AsSpan(offset), value);
        }
    }
}
