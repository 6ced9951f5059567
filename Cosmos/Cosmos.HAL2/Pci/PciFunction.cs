using System;
using System.Collections.Generic;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// One PCI function found by <see cref="PciBus"/>: its identity and class, sized BARs and
    /// capabilities as read at enumeration, register windows on demand, and interrupts in the
    /// best mode it offers (MSI-X, MSI, INTx, else polled).
    /// </summary>
    public sealed class PciFunction : IPciFunction, Cosmos.HAL.Devices.IBusDevice
    {
        private readonly IPciPlatform _platform;
        private readonly List<string> _fallbacks = new();
        private IReadOnlyList<PciBar> _bars;
        private PciInterruptSource? _interrupts;
        private PolledInterruptSource? _polled;

        /// <summary>Reads the function at <paramref name="address"/>: header, BARs (sized), capabilities.</summary>
        public PciFunction(PciAddress address, IPciConfigSpace config, IPciPlatform platform)
        {
            Address = address;
            Config = config ?? throw new ArgumentNullException(nameof(config));
            _platform = platform ?? throw new ArgumentNullException(nameof(platform));
            VendorId = config.Read16(PciConfigRegisters.VendorId);
            DeviceId = config.Read16(PciConfigRegisters.DeviceId);
            Revision = config.Read8(PciConfigRegisters.RevisionId);
            ProgIf = config.Read8(PciConfigRegisters.ProgIf);
            Subclass = config.Read8(PciConfigRegisters.Subclass);
            ClassCode = config.Read8(PciConfigRegisters.ClassCode);
            byte header = config.Read8(PciConfigRegisters.HeaderType);
            HeaderType = (byte)(header & 0x7F);
            IsMultiFunction = (header & 0x80) != 0;
            if (HeaderType == 0)
            {
                SubsystemVendorId = config.Read16(PciConfigRegisters.SubsystemVendorId);
                SubsystemId = config.Read16(PciConfigRegisters.SubsystemId);
            }
            else if (HeaderType == 1)
            {
                SecondaryBus = config.Read8(PciConfigRegisters.SecondaryBus);
                SubordinateBus = config.Read8(PciConfigRegisters.SubordinateBus);
            }

            InterruptLine = config.Read8(PciConfigRegisters.InterruptLine);
            InterruptPin = config.Read8(PciConfigRegisters.InterruptPin);
            _bars = PciBarSizer.Size(config, BarCount);
            Capabilities = PciCapabilityReader.Read(config, HeaderType, out string? problem);
            CapabilityProblem = problem;
        }

        /// <inheritdoc />
        public PciAddress Address { get; }

        /// <inheritdoc />
        public ushort VendorId { get; }

        /// <inheritdoc />
        public ushort DeviceId { get; }

        /// <inheritdoc />
        public byte Revision { get; }

        /// <summary>Subsystem vendor ID (type 0 headers; 0 otherwise).</summary>
        public ushort SubsystemVendorId { get; }

        /// <inheritdoc />
        public ushort SubsystemId { get; }

        /// <inheritdoc />
        public byte ClassCode { get; }

        /// <inheritdoc />
        public byte Subclass { get; }

        /// <inheritdoc />
        public byte ProgIf { get; }

        /// <summary>"Mass storage controller / SCSI storage controller" and the like.</summary>
        public string ClassName => PciClassNames.Describe(ClassCode, Subclass);

        /// <summary>Header layout: 0 device, 1 PCI-to-PCI bridge, 2 CardBus bridge.</summary>
        public byte HeaderType { get; }

        /// <summary>True when the device has functions besides 0 (from function 0's header type bit 7).</summary>
        public bool IsMultiFunction { get; }

        /// <summary>True for a PCI-to-PCI bridge (type 1 header).</summary>
        public bool IsBridge => HeaderType == 1;

        /// <summary>For a bridge: the bus behind it.</summary>
        public byte SecondaryBus { get; }

        /// <summary>For a bridge: the highest bus behind it.</summary>
        public byte SubordinateBus { get; }

        /// <summary>Config 0x3C: the IRQ firmware routed INTx to (0xFF or 0: none).</summary>
        public byte InterruptLine { get; }

        /// <summary>Config 0x3D: 1-4 = INTA-INTD, 0 = no INTx.</summary>
        public byte InterruptPin { get; }

        /// <inheritdoc />
        public IPciConfigSpace Config { get; }

        /// <inheritdoc />
        public IReadOnlyList<PciBar> Bars => _bars;

        /// <inheritdoc />
        public IReadOnlyList<PciCapability> Capabilities { get; }

        /// <summary>Why the capability walk stopped early (a malformed list), or null.</summary>
        public string? CapabilityProblem { get; }

        /// <summary>The interrupt mode in effect: Polled until <see cref="EnableInterrupts(int)"/>.</summary>
        public InterruptMode InterruptMode => _interrupts?.Mode ?? InterruptMode.Polled;

        /// <summary>The source from the last <see cref="EnableInterrupts(int)"/>, or null.</summary>
        public IInterruptSource? Interrupts => (IInterruptSource?)_interrupts ?? _polled;

        /// <summary>For listings: "msi-x 2 of 2 vectors 0x30,0x31", "intx A irq 11 -> gsi 11 …", "polled (…)".</summary>
        public string InterruptDescription => _interrupts?.Description ?? _polled?.ToString() ?? "none requested";

        /// <summary>Why the modes above the one in effect were not used (empty when the first choice worked).</summary>
        public IReadOnlyList<string> InterruptFallbacks => _fallbacks;

        private int BarCount => HeaderType == 0 ? 6 : HeaderType == 1 ? 2 : 0;

        /// <summary>The BAR with this index, or null.</summary>
        public PciBar? FindBar(int index)
        {
            foreach (PciBar bar in _bars)
            {
                if (bar.Index == index)
                {
                    return bar;
                }
            }

            return null;
        }

        /// <summary>The first capability with this ID, or null.</summary>
        public PciCapability? FindCapability(byte id)
        {
            foreach (PciCapability capability in Capabilities)
            {
                if (capability.Id == id)
                {
                    return capability;
                }
            }

            return null;
        }

        /// <summary>Sizes the BARs again (after software moved one).</summary>
        public void RescanBars() => _bars = PciBarSizer.Size(Config, BarCount);

        /// <inheritdoc />
        public IRegisterBlock MapBar(int barIndex, ulong offset, ulong length)
        {
            PciBar bar = FindBar(barIndex) ?? throw new ArgumentException($"{Address}: BAR{barIndex} is not implemented", nameof(barIndex));
            if (length == 0 || offset > bar.Size || length > bar.Size - offset)
            {
                throw new ArgumentException($"{Address}: window 0x{offset:x}+0x{length:x} does not fit BAR{barIndex} (0x{bar.Size:x} bytes)", nameof(length));
            }

            if (bar.Address == 0)
            {
                throw new ArgumentException($"{Address}: firmware assigned BAR{barIndex} no address", nameof(barIndex));
            }

            IRegisterBlock block;
            if (bar.Kind == PciBarKind.Io)
            {
                ulong port = bar.Address + offset;
                if (port + length > 0x10000)
                {
                    throw new ArgumentException($"{Address}: I/O BAR{barIndex} window 0x{port:x}+0x{length:x} is past port 0xffff", nameof(barIndex));
                }

                block = _platform.MapPorts((ushort)port, (ushort)length);
                SetCommandBits(PciConfigRegisters.CommandIoSpace | PciConfigRegisters.CommandBusMaster, 0);
            }
            else
            {
                block = _platform.MapMemory(bar.Address + offset, length);
                SetCommandBits(PciConfigRegisters.CommandMemorySpace | PciConfigRegisters.CommandBusMaster, 0);
            }

            return block;
        }

        /// <inheritdoc />
        public IInterruptSource EnableInterrupts(int wantedVectors) => EnableInterrupts(wantedVectors, InterruptMode.MsiX);

        /// <summary>
        /// As <see cref="EnableInterrupts(int)"/>, trying no mode above <paramref name="mostCapableMode"/>
        /// (Intx: skip MSI-X and MSI). Whatever was set up before is torn down first.
        /// </summary>
        public IInterruptSource EnableInterrupts(int wantedVectors, InterruptMode mostCapableMode)
        {
            DisableInterrupts();
            _fallbacks.Clear();
            if (wantedVectors <= 0)
            {
                return UsePolled("no vectors requested");
            }

            string? reason;
            if (mostCapableMode >= InterruptMode.MsiX && FindCapability(PciConfigRegisters.CapabilityMsiX) is PciCapability msiX)
            {
                _interrupts = MsiXInterruptSource.TryEnable(this, _platform, msiX, wantedVectors, out reason);
                if (_interrupts != null)
                {
                    return _interrupts;
                }

                _fallbacks.Add("msi-x: " + reason);
            }

            if (mostCapableMode >= InterruptMode.Msi && FindCapability(PciConfigRegisters.CapabilityMsi) is PciCapability msi)
            {
                _interrupts = MsiInterruptSource.TryEnable(this, _platform, msi, wantedVectors, out reason);
                if (_interrupts != null)
                {
                    return _interrupts;
                }

                _fallbacks.Add("msi: " + reason);
            }

            if (mostCapableMode >= InterruptMode.Intx)
            {
                _interrupts = IntxInterruptSource.TryEnable(this, _platform, out reason);
                if (_interrupts != null)
                {
                    return _interrupts;
                }

                _fallbacks.Add("intx: " + reason);
            }

            return UsePolled(_fallbacks.Count == 0 ? "polling requested" : string.Join("; ", _fallbacks));
        }

        /// <summary>Tears down the interrupt mode in effect (vectors freed, MSI/MSI-X off, INTx disabled).</summary>
        public void DisableInterrupts()
        {
            _interrupts?.Disable();
            _interrupts = null;
            _polled = null;
        }

        /// <inheritdoc />
        string Cosmos.HAL.Devices.IBusDevice.Bus => "pci";

        /// <inheritdoc />
        string Cosmos.HAL.Devices.IBusDevice.Address => Address.ToString();

        /// <inheritdoc />
        string Cosmos.HAL.Devices.IBusDevice.Description => ToString();

        /// <inheritdoc />
        public override string ToString() =>
            $"{Address} {VendorId:x4}:{DeviceId:x4} [{ClassCode:x2}{Subclass:x2}{ProgIf:x2}] {ClassName}";

        /// <summary>Sets and clears bits of the command register in one read-modify-write.</summary>
        internal void SetCommandBits(ushort set, ushort clear)
        {
            ushort command = Config.Read16(PciConfigRegisters.Command);
            Config.Write16(PciConfigRegisters.Command, (ushort)((command | set) & ~clear));
        }

        internal void DisableMsiCapability()
        {
            if (FindCapability(PciConfigRegisters.CapabilityMsi) is PciCapability msi)
            {
                ushort control = Config.Read16(msi.Offset + 2);
                Config.Write16(msi.Offset + 2, (ushort)(control & ~1));
            }
        }

        internal void DisableMsiXCapability()
        {
            if (FindCapability(PciConfigRegisters.CapabilityMsiX) is PciCapability msiX)
            {
                ushort control = Config.Read16(msiX.Offset + 2);
                Config.Write16(msiX.Offset + 2, (ushort)(control & ~0x8000));
            }
        }

        private PolledInterruptSource UsePolled(string reason)
        {
            _polled = new PolledInterruptSource(reason);
            return _polled;
        }
    }
}
