namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>Small calculations on ring indices and queue sizes.</summary>
    public static class VirtqueueMath
    {
        /// <summary>
        /// <c>vring_need_event</c> (VirtIO 1.2 §2.7.7 and §2.7.10, virtio_ring.h): true when moving an
        /// index from <paramref name="oldIndex"/> to <paramref name="newIndex"/> passes
        /// <paramref name="eventIndex"/>, i.e. the entry at <paramref name="eventIndex"/> was written.
        /// Wrap-safe: all three are free-running 16-bit counters.
        /// </summary>
        public static bool NeedEvent(ushort eventIndex, ushort newIndex, ushort oldIndex) =>
            (ushort)(newIndex - eventIndex - 1) < (ushort)(newIndex - oldIndex);

        /// <summary>True for 1, 2, 4, 8, ….</summary>
        public static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;

        /// <summary>
        /// The queue size to use: the largest power of two no larger than <paramref name="preferred"/>,
        /// the device's <paramref name="deviceMaximum"/> or 32768; 0 when the device offers no queue.
        /// </summary>
        public static int ClampQueueSize(int preferred, int deviceMaximum)
        {
            int limit = preferred < deviceMaximum ? preferred : deviceMaximum;
            if (limit > VirtqueueLayout.MaxQueueSize)
            {
                limit = VirtqueueLayout.MaxQueueSize;
            }

            if (limit < 1)
            {
                return 0;
            }

            int size = 1;
            while (size <= limit / 2)
            {
                size <<= 1;
            }

            return size;
        }
    }
}
