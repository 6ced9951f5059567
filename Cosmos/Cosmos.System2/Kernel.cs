using System;

namespace Cosmos.System
{
    /// <summary>
    /// The base class of a Cosmos kernel, as Cosmos users know it: <see cref="BeforeRun"/> once,
    /// then <see cref="Run"/> in a loop until <see cref="Stop"/> is called, then <see cref="AfterRun"/>.
    /// </summary>
    public abstract class Kernel
    {
        /// <summary>True until <see cref="Stop"/> is called.</summary>
        public bool IsRunning { get; private set; } = true;

        /// <summary>Called once before the first <see cref="Run"/>.</summary>
        protected virtual void BeforeRun()
        {
        }

        /// <summary>Called repeatedly while the kernel is running.</summary>
        protected abstract void Run();

        /// <summary>Called once after the run loop ends.</summary>
        protected virtual void AfterRun()
        {
        }

        /// <summary>Ends the run loop after the current <see cref="Run"/> returns.</summary>
        public void Stop() => IsRunning = false;

        internal void Start()
        {
            BeforeRun();
            while (IsRunning)
            {
                Run();
            }

            AfterRun();
        }
    }

    /// <summary>Runs a kernel; called by the entry Cosmos.Build generates for a kernel project.</summary>
    public static class KernelRunner
    {
        /// <summary>Runs <paramref name="kernel"/> to completion; an unhandled exception becomes a panic report.</summary>
        public static void Run(Kernel kernel)
        {
            ArgumentNullException.ThrowIfNull(kernel);
            kernel.Start();
        }
    }
}
