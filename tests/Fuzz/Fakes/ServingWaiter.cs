using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// Waits as the kernel's waiter does (until the condition holds), letting the harness's device act before each
    /// look: the device answers while the driver waits, as a real one does between the driver's polls. A driver
    /// whose condition never holds hangs here, and afl-fuzz reports the hang.
    /// </summary>
    internal sealed class ServingWaiter : ICompletionWaiter
    {
        private readonly Action _serve;

        public ServingWaiter(Action serve) => _serve = serve;

        public void WaitUntil(Func<bool> isDone, bool interruptDriven)
        {
            do
            {
                _serve();
            }
            while (!isDone());
        }
    }
}
