namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// One VirtIO vendor capability of a PCI function (<c>virtio_pci_cap</c>, VirtIO 1.2 §4.1.4):
    /// a region of type <paramref name="ConfigType"/> at <paramref name="Offset"/> in BAR <paramref name="Bar"/>.
    /// </summary>
    /// <param name="ConfigType">cfg_type: 1 common, 2 notify, 3 ISR, 4 device, 5 PCI config access, 8 shared memory, 9 vendor.</param>
    /// <param name="Bar">The BAR holding the region (0–5).</param>
    /// <param name="Offset">Offset of the region inside the BAR.</param>
    /// <param name="Length">Length of the region in bytes.</param>
    /// <param name="NotifyOffMultiplier">For the notify capability: bytes per queue_notify_off unit; 0 otherwise.</param>
    /// <param name="CapabilityOffset">Where the capability sits in configuration space.</param>
    public readonly record struct VirtioPciCapability(
        byte ConfigType, byte Bar, uint Offset, uint Length, uint NotifyOffMultiplier, int CapabilityOffset);
}
