using System;
using System.Collections.Generic;
using Cosmos.Core.Acpi;
using Cosmos.HAL.Devices;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>An 8042 that answered at its fixed ports.</summary>
    public sealed class I8042BusDevice : IBusDevice
    {
        /// <summary>The controller reached through <paramref name="ports"/>.</summary>
        public I8042BusDevice(II8042Ports ports) => Ports = ports ?? throw new ArgumentNullException(nameof(ports));

        /// <summary>Its ports.</summary>
        public II8042Ports Ports { get; }

        /// <inheritdoc />
        public string Bus => "isa";

        /// <inheritdoc />
        public string Address => "0x60";

        /// <inheritdoc />
        public string Description => "i8042 PS/2 controller (io 0x60, 0x64; irq 1, 12)";
    }

    /// <summary>
    /// The ISA devices of a PC that sit at fixed addresses and are not enumerated by any bus: today the 8042
    /// keyboard controller. It is listed unless ACPI's FADT denies it (<see cref="I8042FirmwarePresence"/>; then its
    /// ports are not touched) or its status register reads 0xFF (nothing decodes the port). The DSDT's PNP0303 /
    /// PNP0F13 objects would say more, but the kernel does not interpret AML.
    /// </summary>
    public sealed class IsaLegacyBus : IBus
    {
        private readonly Func<II8042Ports> _ports;
        private readonly Func<byte[]?> _readFadt;

        /// <summary>
        /// The machine's bus; host tests pass the controller's <paramref name="ports"/> and the FADT
        /// (<paramref name="readFadt"/>, null for none).
        /// </summary>
        public IsaLegacyBus(Func<II8042Ports>? ports = null, Func<byte[]?>? readFadt = null)
        {
            _ports = ports ?? (() => new I8042IoPorts());
            _readFadt = readFadt ?? (() => AcpiTables.Current?.ReadTable("FACP"));
        }

        /// <inheritdoc />
        public string Name => "isa";

        /// <summary>Why the last enumeration found no 8042, or null when it found one.</summary>
        public string? NoControllerReason { get; private set; }

        /// <inheritdoc />
        public IReadOnlyList<IBusDevice> Enumerate()
        {
            byte[]? fadt = _readFadt();
            NoControllerReason = fadt == null ? null : I8042FirmwarePresence.Denial(fadt);
            if (NoControllerReason != null)
            {
                return Array.Empty<IBusDevice>();
            }

            II8042Ports ports = _ports();
            if (ports.ReadStatus() == 0xFF)
            {
                NoControllerReason = I8042Controller.AbsentError;
                return Array.Empty<IBusDevice>();
            }

            return new IBusDevice[] { new I8042BusDevice(ports) };
        }
    }
}
