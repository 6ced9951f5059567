namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>One buffer of a chain: physical address, length, direction.</summary>
    internal readonly record struct SimSegment(ulong Address, uint Length, bool Writable);
}
