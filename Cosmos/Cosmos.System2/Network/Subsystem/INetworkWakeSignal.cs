namespace Cosmos.System.Network
{
    /// <summary>
    /// How the network thread sleeps and is woken: <see cref="Set"/> is called by a device when frames
    /// arrive (in interrupt context, so it must only set a flag and make a thread runnable) and by threads
    /// that gave the stack new work; <see cref="Wait"/> is called by the network thread alone.
    /// </summary>
    public interface INetworkWakeSignal
    {
        /// <summary>Wakes the network thread, or makes its next <see cref="Wait"/> return at once. Safe in interrupt context.</summary>
        void Set();

        /// <summary>Sleeps until <see cref="Set"/> or for <paramref name="milliseconds"/> at most.</summary>
        void Wait(long milliseconds);
    }
}
