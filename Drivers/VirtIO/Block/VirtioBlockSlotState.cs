namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>Where a request slot is in its life.</summary>
    internal enum VirtioBlockSlotState
    {
        Free,
        InFlight,
        Done,
    }
}
