using System.Collections.Generic;
using Cosmos.Core.Acpi;
using Cosmos.HAL.Devices;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>The 8042 as a bus device: at its fixed ports, with what the firmware said about it.</summary>
    public sealed class I8042BusDevice : IBusDevice
    {
        /// <summary>An 8042 the firmware denies with <paramref name="firmwareDenial"/> (null: not denied).</summary>
        public I8042BusDevice(string? firmwareDenial) => FirmwareDenial = firmwareDenial;

        /// <summary>Why the firmware says there is none, or null.</summary>
        public string? FirmwareDenial { get; }

        /// <inheritdoc />
        public string Bus => "isa";

        /// <inheritdoc />
        public string Address => "0x60";

        /// <inheritdoc />
        public string Description => "i8042 PS/2 controller (io 0x60, 0x64; irq 1, 12)";
    }

    /// <summary>
    /// The ISA devices of a PC that sit at fixed addresses and are not enumerated by any bus: today the 8042
    /// keyboard controller. ACPI's FADT may deny it (<see cref="I8042FirmwarePresence"/>); the DSDT's PNP0303 /
    /// PNP0F13 objects would say more, but the kernel does not interpret AML.
    /// </summary>
    public sealed class IsaLegacyBus : IBus
    {
        /// <inheritdoc />
        public string Name => "isa";

        /// <inheritdoc />
        public IReadOnlyList<IBusDevice> Enumerate()
        {
            byte[]? fadt = AcpiTables.Current?.ReadTable("FACP");
            return new IBusDevice[] { new I8042BusDevice(fadt == null ? null : I8042FirmwarePresence.Denial(fadt)) };
        }
    }
}
