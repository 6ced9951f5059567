using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A completion waiter for host tests: checks, and between checks lets the device act
    /// (<see cref="Idle"/>), as time passing would; gives up after a bound instead of hanging.
    /// </summary>
    internal sealed class SimWaiter : ICompletionWaiter
    {
        public const int MaxChecks = 10_000;

        public Action? Idle { get; set; }

        public int Waits { get; private set; }

        public int InterruptDrivenWaits { get; private set; }

        public void WaitUntil(Func<bool> isDone, bool interruptDriven)
        {
            Waits++;
            InterruptDrivenWaits += interruptDriven ? 1 : 0;
            for (int i = 0; i < MaxChecks; i++)
            {
                if (isDone())
                {
                    return;
                }

                Idle?.Invoke();
            }

            throw new TimeoutException("the simulated device never completed the request");
        }
    }
}
