namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// The counters a network driver keeps as it sends and receives, read as <see cref="INetworkDevice.Statistics"/>
    /// through <see cref="Snapshot"/>. Each method counts one event.
    /// </summary>
    /// <remarks>
    /// Not thread-safe: the one thread that sends and receives through the driver counts, as it runs the rings;
    /// a reader on another thread (ifconfig) may see a frame counted and its bytes not yet.
    /// </remarks>
    public sealed class NetworkDeviceCounters
    {
        private long _framesReceived;
        private long _bytesReceived;
        private long _framesSent;
        private long _bytesSent;
        private long _transmitQueueFull;
        private long _droppedBufferTooSmall;
        private long _droppedOversize;
        private long _droppedDeviceError;
        private long _droppedQueueBroken;

        /// <summary>A frame of <paramref name="length"/> bytes was handed to the stack.</summary>
        public void FrameReceived(int length)
        {
            _framesReceived++;
            _bytesReceived += length;
        }

        /// <summary>A frame of <paramref name="length"/> bytes was handed to the device.</summary>
        public void FrameSent(int length)
        {
            _framesSent++;
            _bytesSent += length;
        }

        /// <summary>A send was refused because the transmit queue was full.</summary>
        public void TransmitQueueFull() => _transmitQueueFull++;

        /// <summary>A received frame was dropped because the caller's buffer was smaller than it.</summary>
        public void DroppedBufferTooSmall() => _droppedBufferTooSmall++;

        /// <summary>A received frame was dropped because it was longer than <see cref="INetworkDevice.MaxFrameLength"/>.</summary>
        public void DroppedOversize() => _droppedOversize++;

        /// <summary>A frame was dropped because the device described it impossibly.</summary>
        public void DroppedDeviceError() => _droppedDeviceError++;

        /// <summary>Frames were lost because the device broke a queue.</summary>
        public void DroppedQueueBroken() => _droppedQueueBroken++;

        /// <summary>The counts so far.</summary>
        public NetworkStatistics Snapshot() => new()
        {
            FramesReceived = _framesReceived,
            BytesReceived = _bytesReceived,
            FramesSent = _framesSent,
            BytesSent = _bytesSent,
            TransmitQueueFull = _transmitQueueFull,
            DroppedBufferTooSmall = _droppedBufferTooSmall,
            DroppedOversize = _droppedOversize,
            DroppedDeviceError = _droppedDeviceError,
            DroppedQueueBroken = _droppedQueueBroken,
        };
    }
}
