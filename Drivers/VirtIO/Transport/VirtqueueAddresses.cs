namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// Where a split virtqueue's three parts are, as bus (physical) addresses: the descriptor table
    /// (Descriptor Area), the available ring (Driver Area) and the used ring (Device Area), VirtIO 1.2 §2.7.
    /// </summary>
    /// <param name="DescriptorTable">Physical address of the descriptor table (16-byte aligned; 4096 for legacy).</param>
    /// <param name="DriverArea">Physical address of the available ring.</param>
    /// <param name="DeviceArea">Physical address of the used ring.</param>
    public readonly record struct VirtqueueAddresses(ulong DescriptorTable, ulong DriverArea, ulong DeviceArea);
}
