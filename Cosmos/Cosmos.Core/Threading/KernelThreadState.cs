namespace Cosmos.Core.Threading
{
    /// <summary>Where a kernel thread is in its life.</summary>
    public enum KernelThreadState
    {
        /// <summary>Created, waiting for its first turn on the CPU.</summary>
        Starting,

        /// <summary>In the run queue.</summary>
        Runnable,

        /// <summary>On the CPU.</summary>
        Running,

        /// <summary>Waiting for a lock, a signal or a deadline.</summary>
        Blocked,

        /// <summary>Its entry returned; its stack is freed by the next thread to run.</summary>
        Exited,
    }
}
