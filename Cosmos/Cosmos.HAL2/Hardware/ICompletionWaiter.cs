using System;

namespace Cosmos.HAL.Hardware
{
    /// <summary>Waits for a device to finish something: halting until an interrupt, or spinning when polled.</summary>
    public interface ICompletionWaiter
    {
        /// <summary>
        /// Returns once <paramref name="isDone"/> is true. With <paramref name="interruptDriven"/>
        /// the CPU sleeps between interrupts; otherwise it polls.
        /// </summary>
        void WaitUntil(Func<bool> isDone, bool interruptDriven);
    }

    /// <summary>
    /// The kernel's waiter: checks with interrupts off and sleeps with <c>sti; hlt</c> as one step,
    /// so a completion interrupt cannot slip in between the check and the halt.
    /// </summary>
    public sealed class HaltingCompletionWaiter : ICompletionWaiter
    {
        /// <inheritdoc />
        public void WaitUntil(Func<bool> isDone, bool interruptDriven)
        {
            ArgumentNullException.ThrowIfNull(isDone);
            if (!interruptDriven)
            {
                while (!isDone())
                {
                    Cosmos.Core.Native.Pause();
                }

                return;
            }

            while (true)
            {
                Cosmos.Core.Native.DisableInterrupts();
                if (isDone())
                {
                    Cosmos.Core.Native.EnableInterrupts();
                    return;
                }

                Cosmos.Core.Native.EnableInterruptsAndHalt();
            }
        }
    }
}
