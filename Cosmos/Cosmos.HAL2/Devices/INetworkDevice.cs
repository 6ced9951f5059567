using System;

namespace Cosmos.HAL.Devices
{
    /// <summary>An Ethernet interface.</summary>
    public interface INetworkDevice : IDevice
    {
        /// <summary>The 6-byte MAC address.</summary>
        ReadOnlySpan<byte> MacAddress { get; }

        /// <summary>True while the link is up.</summary>
        bool IsLinkUp { get; }

        /// <summary>Largest payload of a frame (1500 by default).</summary>
        int Mtu { get; }

        /// <summary>Queues one Ethernet frame; false when the transmit queue is full.</summary>
        bool TrySend(ReadOnlySpan<byte> frame);

        /// <summary>Takes the next received frame into <paramref name="buffer"/>; returns its length, or 0 when none is waiting.</summary>
        int TryReceive(Span<byte> buffer);
    }
}
