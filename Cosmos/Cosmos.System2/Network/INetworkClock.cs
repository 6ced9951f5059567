namespace Cosmos.System.Network
{
    /// <summary>
    /// The stack's only source of time: a monotonic millisecond counter. The kernel implements it with the
    /// APIC timer's uptime; tests implement it with a simulated clock they advance by hand.
    /// </summary>
    public interface INetworkClock
    {
        /// <summary>Milliseconds since an arbitrary origin; never goes backwards.</summary>
        long Milliseconds { get; }
    }
}
