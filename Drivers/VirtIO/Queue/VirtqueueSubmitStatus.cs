namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>What <see cref="SplitVirtqueue.Submit"/> did.</summary>
    public enum VirtqueueSubmitStatus
    {
        /// <summary>The request is in the available ring; its token identifies the completion.</summary>
        Submitted,

        /// <summary>Not enough free descriptors: take completions and try again.</summary>
        QueueFull,

        /// <summary>The device broke the queue (see <see cref="SplitVirtqueue.Error"/>); reset the device.</summary>
        QueueBroken,
    }
}
