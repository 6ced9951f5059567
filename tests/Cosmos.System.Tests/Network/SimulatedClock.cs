using Cosmos.System.Network;

namespace Cosmos.System.Tests.Network
{
    /// <summary>A clock the test moves by hand.</summary>
    internal sealed class SimulatedClock : INetworkClock
    {
        public long Milliseconds { get; set; } = 1_000;

        public void Advance(long milliseconds) => Milliseconds += milliseconds;
    }
}
