using System;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// Checks that queue addresses follow the legacy contiguous layout (VirtIO 1.2 §2.7.2): descriptor
    /// table at a page boundary, available ring right after it, used ring at the next Queue Align
    /// boundary. Legacy transports only pass the first address to the device, so anything else would
    /// silently put the rings where the driver does not look.
    /// </summary>
    internal static class VirtqueueLegacyLayoutCheck
    {
        public static void Require(int size, VirtqueueAddresses addresses, int alignment)
        {
            ulong align = (ulong)alignment;
            ulong descriptors = addresses.DescriptorTable;
            ulong avail = descriptors + (16UL * (ulong)size);
            ulong used = (avail + 6UL + (2UL * (ulong)size) + align - 1) & ~(align - 1);
            if (descriptors % align != 0 || addresses.DriverArea != avail || addresses.DeviceArea != used)
            {
                throw new ArgumentException(
                    $"legacy queue of {size} needs desc at a {alignment}-byte boundary, avail at desc+0x{avail - descriptors:x} "
                    + $"and used at desc+0x{used - descriptors:x}; got 0x{descriptors:x}/0x{addresses.DriverArea:x}/0x{addresses.DeviceArea:x}",
                    nameof(addresses));
            }
        }
    }
}
