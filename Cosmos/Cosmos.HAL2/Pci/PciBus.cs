using System;
using System.Collections.Generic;
using Cosmos.Core.Acpi;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// Enumerates PCI: every device on each root bus, every function of multi-function devices,
    /// and the bus behind every PCI-to-PCI bridge (its secondary bus), depth first. A bus is
    /// scanned once, so a bridge that points back (firmware bug, lying device) cannot loop. The
    /// result is a list for the device manager. After the first probe the bus watches the hot-plug slots of PCI
    /// Express ports (<see cref="PciHotplugController"/>).
    /// </summary>
    public sealed class PciBus : Cosmos.HAL.Devices.IHotplugBus
    {
        private readonly List<string> _warnings = new();
        private IReadOnlyList<PciFunction> _enumerated = Array.Empty<PciFunction>();

        /// <summary>Enumerates through <paramref name="access"/> on <paramref name="platform"/>.</summary>
        public PciBus(IPciConfigAccess access, IPciPlatform platform)
        {
            Access = access ?? throw new ArgumentNullException(nameof(access));
            Platform = platform ?? throw new ArgumentNullException(nameof(platform));
        }

        /// <summary>The configuration mechanism.</summary>
        public IPciConfigAccess Access { get; }

        /// <summary>The machine services functions use.</summary>
        public IPciPlatform Platform { get; }

        /// <summary>Where hot-plug events and their outcome are reported (null: nowhere).</summary>
        public Action<string>? Log { get; set; }

        /// <summary>The hot-plug slots' controller once <see cref="StartHotplug"/> ran, else null.</summary>
        public PciHotplugController? Hotplug { get; private set; }

        /// <summary>What enumeration skipped and why (bridges with impossible bus numbers, loops, buses outside ECAM).</summary>
        public IReadOnlyList<string> Warnings => _warnings;

        /// <summary>
        /// The bus of this machine: ECAM when the ACPI MCFG table gives windows, else port I/O.
        /// </summary>
        public static PciBus ForThisMachine()
        {
            KernelPciPlatform platform = KernelPciPlatform.Instance;
            IReadOnlyList<EcamRegion> regions = AcpiTables.Current?.EcamRegions ?? Array.Empty<EcamRegion>();
            IPciConfigAccess access = regions.Count > 0 ? new PciEcamConfigAccess(regions, platform) : new PciPortConfigAccess();
            return new PciBus(access, platform);
        }

        /// <inheritdoc />
        public string Name => "pci";

        /// <inheritdoc />
        IReadOnlyList<Cosmos.HAL.Devices.IBusDevice> Cosmos.HAL.Devices.IBus.Enumerate() => Enumerate();

        /// <summary>Scans everything reachable; the functions are sorted by address.</summary>
        public IReadOnlyList<PciFunction> Enumerate()
        {
            _warnings.Clear();
            var functions = new List<PciFunction>();
            var scanned = new HashSet<int>();
            foreach (PciRootBus root in Access.RootBuses)
            {
                ScanBus(root.Segment, root.Bus, functions, scanned);
            }

            functions.Sort((a, b) => Key(a.Address).CompareTo(Key(b.Address)));
            _enumerated = functions;
            return functions;
        }

        /// <inheritdoc />
        public void StartHotplug(Cosmos.HAL.Devices.DeviceManager manager)
        {
            ArgumentNullException.ThrowIfNull(manager);
            if (Hotplug != null)
            {
                return;
            }

            Hotplug = new PciHotplugController(manager, Access, Platform, _enumerated, Log);
            if (Hotplug.Slots.Count > 0)
            {
                Log?.Invoke("[pciehp] watching " + string.Join(", ", Hotplug.Slots));
                Hotplug.Start();
            }
        }

        private void ScanBus(ushort segment, byte bus, List<PciFunction> functions, HashSet<int> scanned)
        {
            if (!scanned.Add((segment << 8) | bus))
            {
                _warnings.Add($"bus {segment:x4}:{bus:x2} reached twice; scanned once");
                return;
            }

            for (byte device = 0; device < 32; device++)
            {
                var first = new PciAddress(segment, bus, device, 0);
                if (!Present(first))
                {
                    continue;
                }

                int functionCount = FunctionCount(Access, first);
                for (byte function = 0; function < functionCount; function++)
                {
                    var address = new PciAddress(segment, bus, device, function);
                    if (function > 0 && !Present(address))
                    {
                        continue;
                    }

                    var found = new PciFunction(address, new PciConfigSpace(Access, address), Platform);
                    functions.Add(found);
                    if (found.IsBridge)
                    {
                        FollowBridge(found, functions, scanned);
                    }
                }
            }
        }

        private void FollowBridge(PciFunction bridge, List<PciFunction> functions, HashSet<int> scanned)
        {
            PciAddress at = bridge.Address;
            byte secondary = bridge.SecondaryBus;
            if (secondary <= at.Bus || bridge.SubordinateBus < secondary)
            {
                _warnings.Add($"bridge {at}: secondary bus {secondary}, subordinate {bridge.SubordinateBus} on bus {at.Bus}; not followed (unassigned or inconsistent)");
                return;
            }

            if (!Access.Covers(at.Segment, secondary))
            {
                _warnings.Add($"bridge {at}: bus {secondary} is outside {Access.Description}");
                return;
            }

            ScanBus(at.Segment, secondary, functions, scanned);
        }

        private bool Present(PciAddress address) => IsPresent(Access, address);

        /// <summary>True when a function answers at <paramref name="address"/> (its vendor ID is neither all ones nor zero).</summary>
        internal static bool IsPresent(IPciConfigAccess access, PciAddress address)
        {
            ushort vendor = access.Read16(address, PciConfigRegisters.VendorId);
            return vendor != 0xFFFF && vendor != 0x0000;
        }

        /// <summary>How many functions to look for at device <paramref name="first"/> (function 0): 8 for a multi-function device, else 1.</summary>
        internal static int FunctionCount(IPciConfigAccess access, PciAddress first) =>
            (access.Read8(first, PciConfigRegisters.HeaderType) & 0x80) != 0 ? 8 : 1;

        private static long Key(PciAddress address) =>
            ((long)address.Segment << 16) | ((long)address.Bus << 8) | ((long)address.Device << 3) | address.Function;
    }
}
