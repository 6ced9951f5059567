namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>What probing a VirtIO MMIO window found (VirtIO 1.2 §4.2.3.1.1).</summary>
    public enum VirtioMmioProbeStatus
    {
        /// <summary>A device: the transport was created.</summary>
        Found,

        /// <summary>The magic value is not "virt": no VirtIO transport here.</summary>
        NotVirtio,

        /// <summary>A transport with DeviceID 0: an empty slot (QEMU microvm has eight or more).</summary>
        EmptySlot,

        /// <summary>A Version other than 1 or 2.</summary>
        UnsupportedVersion,

        /// <summary>The window is smaller than the register block (0x100 bytes).</summary>
        WindowTooSmall,
    }
}
