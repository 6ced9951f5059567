using System;
using System.Buffers.Binary;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// What ACPI's FADT says about the 8042. Its IA-PC Boot Architecture Flags (ACPI 6.5 §5.2.9.3, at byte 109,
    /// present from FADT revision 3, ACPI 2.0) have bit 1 "8042": clear means the motherboard has no 8042. An
    /// older FADT, a short one or none at all says nothing, and the controller is probed (the status register of
    /// absent hardware reads 0xFF).
    /// </summary>
    public static class I8042FirmwarePresence
    {
        private const int RevisionOffset = 8, BootArchitectureOffset = 109, FirstRevisionWithFlags = 3;
        private const ushort Flag8042 = 0x0002;

        /// <summary>Null when the firmware does not deny an 8042; else the sentence saying it does.</summary>
        public static string? Denial(ReadOnlySpan<byte> fadt)
        {
            if (fadt.Length < BootArchitectureOffset + 2 || fadt[RevisionOffset] < FirstRevisionWithFlags)
            {
                return null;
            }

            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(fadt[BootArchitectureOffset..]);
            return (flags & Flag8042) != 0 ? null : $"the ACPI FADT (revision {fadt[RevisionOffset]}) says there is no 8042 (IAPC_BOOT_ARCH 0x{flags:x4})";
        }
    }
}
