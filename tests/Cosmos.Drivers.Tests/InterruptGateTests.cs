using Cosmos.Drivers.VirtIO.Queue;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class InterruptGateTests
    {
        [Fact]
        public void InterruptTakesAFreeGate()
        {
            var gate = new InterruptGate();
            Assert.True(gate.TryEnterFromInterrupt());
            Assert.False(gate.ExitAndClaimDeferred());
        }

        [Fact]
        public void InterruptDuringDriverCodeIsHandedToTheOwner()
        {
            var gate = new InterruptGate();
            gate.Enter();
            Assert.False(gate.TryEnterFromInterrupt());
            Assert.False(gate.TryEnterFromInterrupt()); // a second one folds into the first
            Assert.True(gate.ExitAndClaimDeferred());   // owner does the interrupt's work…
            Assert.False(gate.ExitAndClaimDeferred());  // …once, then the gate is free
            Assert.True(gate.TryEnterFromInterrupt());
        }
    }
}
