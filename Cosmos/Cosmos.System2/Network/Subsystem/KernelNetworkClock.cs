using System;

namespace Cosmos.System.Network
{
    /// <summary>The stack's clock in the kernel: <see cref="Environment.TickCount64"/>, milliseconds of the TSC since boot.</summary>
    public sealed class KernelNetworkClock : INetworkClock
    {
        /// <inheritdoc />
        public long Milliseconds => Environment.TickCount64;
    }
}
