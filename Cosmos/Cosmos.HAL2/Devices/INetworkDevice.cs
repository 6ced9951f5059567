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

        /// <summary>
        /// Queues one Ethernet frame whose transport checksum is still to be computed: the 16-bit ones'
        /// complement sum of the bytes from <paramref name="checksumStart"/> to the end of the frame is
        /// stored at <paramref name="checksumStart"/> + <paramref name="checksumOffset"/>, where the frame
        /// must hold the pseudo-header sum (as for TCP and UDP). The device computes it when
        /// <see cref="OffloadsTransmitChecksum"/> is true; otherwise the driver does. False when the
        /// transmit queue is full.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The checksum field does not lie inside the frame.</exception>
        bool TrySend(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset);

        /// <summary>
        /// Takes the next received frame into <paramref name="buffer"/>, as <see cref="TryReceive(Span{byte})"/>;
        /// <paramref name="checksumValid"/> is true when the device vouches for the frame's transport
        /// checksums, so the stack may skip verifying them.
        /// </summary>
        int TryReceive(Span<byte> buffer, out bool checksumValid);

        /// <summary>True when a received frame is waiting for <see cref="TryReceive(Span{byte})"/> (polls the device when it has no interrupts).</summary>
        bool HasFrameWaiting { get; }

        /// <summary>
        /// Called from interrupt context when received frames arrive (never for a polled device): set a
        /// flag or wake a thread, take the frames later with <see cref="TryReceive(Span{byte})"/>.
        /// </summary>
        Action? FramesArrived { get; set; }

        /// <summary>True when the device computes transmit checksums requested through <see cref="TrySend(ReadOnlySpan{byte}, int, int)"/>.</summary>
        bool OffloadsTransmitChecksum { get; }

        /// <summary>Largest frame, Ethernet header included, that is sent or received (<see cref="Mtu"/> + 18 for the header and one VLAN tag).</summary>
        int MaxFrameLength { get; }

        /// <summary>The interface's counters since it started.</summary>
        NetworkStatistics Statistics { get; }
    }

    /// <summary>Counters of a network interface: frames and bytes each way, and frames lost by reason.</summary>
    public readonly struct NetworkStatistics
    {
        /// <summary>Frames handed to the stack.</summary>
        public long FramesReceived { get; init; }

        /// <summary>Bytes of the frames handed to the stack.</summary>
        public long BytesReceived { get; init; }

        /// <summary>Frames handed to the device.</summary>
        public long FramesSent { get; init; }

        /// <summary>Bytes of the frames handed to the device.</summary>
        public long BytesSent { get; init; }

        /// <summary>Times a send was refused because the transmit queue was full (the caller may retry).</summary>
        public long TransmitQueueFull { get; init; }

        /// <summary>Received frames dropped because the caller's buffer was smaller than the frame.</summary>
        public long DroppedBufferTooSmall { get; init; }

        /// <summary>Received frames dropped because they were longer than <see cref="INetworkDevice.MaxFrameLength"/>.</summary>
        public long DroppedOversize { get; init; }

        /// <summary>Frames dropped because the device described them impossibly (a length, a buffer count or a checksum position that does not fit).</summary>
        public long DroppedDeviceError { get; init; }

        /// <summary>Frames lost because the device broke a queue (sends refused, receive buffers it never returned).</summary>
        public long DroppedQueueBroken { get; init; }

        /// <summary>Every received or sent frame dropped, whatever the reason.</summary>
        public long Dropped => DroppedBufferTooSmall + DroppedOversize + DroppedDeviceError + DroppedQueueBroken;
    }
}
