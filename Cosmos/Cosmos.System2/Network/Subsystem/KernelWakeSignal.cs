using Cosmos.Core.Threading;

namespace Cosmos.System.Network
{
    /// <summary>The kernel's wake signal: a <see cref="KernelEvent"/>, which a device's interrupt handler may set.</summary>
    public sealed class KernelWakeSignal : INetworkWakeSignal
    {
        private readonly KernelEvent _event = new KernelEvent();

        /// <inheritdoc />
        public void Set() => _event.Set();

        /// <inheritdoc />
        public void Wait(long milliseconds) => _event.WaitMilliseconds(milliseconds);
    }
}
