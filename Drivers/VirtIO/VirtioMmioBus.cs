using System.Collections.Generic;
using Cosmos.Core.Memory;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>A virtio-mmio slot that answered the probe with a device.</summary>
    public sealed class VirtioMmioSlot : IBusDevice
    {
        internal VirtioMmioSlot(ulong physicalAddress, VirtioMmioTransport transport)
        {
            PhysicalAddress = physicalAddress;
            Transport = transport;
        }

        /// <summary>The slot's register window.</summary>
        public ulong PhysicalAddress { get; }

        /// <summary>The transport the probe made.</summary>
        public VirtioMmioTransport Transport { get; }

        /// <inheritdoc />
        public string Bus => "virtio-mmio";

        /// <inheritdoc />
        public string Address => $"0x{PhysicalAddress:x}";

        /// <inheritdoc />
        public string Description => Transport.Describe();
    }

    /// <summary>
    /// The virtio-mmio window of QEMU's microvm machine: slots of 512 bytes from 0xFEB00000, each
    /// probed for the "virt" magic, a version of 1 or 2 and a non-zero device ID. Interrupt lines
    /// of these slots are described only in ACPI's DSDT (AML), which the kernel does not interpret,
    /// so their devices run polled.
    /// </summary>
    public sealed class VirtioMmioBus : IBus
    {
        /// <summary>Where QEMU's microvm puts the first virtio-mmio slot.</summary>
        public const ulong MicrovmWindowBase = 0xFEB00000;

        /// <summary>Bytes per slot.</summary>
        public const ulong SlotSize = 512;

        /// <summary>Slots probed.</summary>
        public const int SlotCount = 32;

        private readonly ulong _base;

        /// <summary>A bus over the window at <paramref name="windowBase"/>.</summary>
        public VirtioMmioBus(ulong windowBase = MicrovmWindowBase) => _base = windowBase;

        /// <inheritdoc />
        public string Name => "virtio-mmio";

        /// <inheritdoc />
        public IReadOnlyList<IBusDevice> Enumerate()
        {
            var found = new List<IBusDevice>();
            nint window = Paging.MapMmio(_base, SlotSize * SlotCount);
            for (int slot = 0; slot < SlotCount; slot++)
            {
                ulong physical = _base + ((ulong)slot * SlotSize);
                var registers = new MmioRegisterBlock(physical, window + (nint)((ulong)slot * SlotSize), SlotSize);
                var line = new PolledInterruptSource("virtio-mmio interrupt lines are only described in the DSDT");
                if (VirtioMmioTransport.Probe(registers, line, out VirtioMmioTransport? transport) == VirtioMmioProbeStatus.Found && transport != null)
                {
                    found.Add(new VirtioMmioSlot(physical, transport));
                }
            }

            return found;
        }
    }
}
