namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>Ways a virtio-net device can misbehave; each is reported once (the first time), then only counted.</summary>
    internal enum VirtioNetFault
    {
        /// <summary>The configuration holds an impossible value (a multicast MAC, an MTU below 68).</summary>
        Configuration,

        /// <summary>A receive buffer came back with a used length beyond the buffer.</summary>
        ReceiveLengthTooLong,

        /// <summary>A frame's first receive buffer came back shorter than the virtio-net header.</summary>
        ReceiveShorterThanHeader,

        /// <summary>A header's num_buffers was 0, or more than the receive buffers the device holds.</summary>
        ReceiveBufferCount,

        /// <summary>A frame shorter than an Ethernet header.</summary>
        ReceiveRunt,

        /// <summary>A NEEDS_CSUM frame whose checksum field lies outside it.</summary>
        ReceiveChecksumPosition,

        /// <summary>The device broke the receive queue (a used id or index that names no buffer).</summary>
        ReceiveQueueBroken,

        /// <summary>A transmit buffer came back with a used length (the device has nothing to write there).</summary>
        TransmitLength,

        /// <summary>The device broke the transmit queue.</summary>
        TransmitQueueBroken,
    }
}
