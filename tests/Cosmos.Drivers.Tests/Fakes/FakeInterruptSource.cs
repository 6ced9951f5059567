using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Tests.Fakes
{
    /// <summary>Interrupt vectors whose handlers the simulated device calls synchronously, as an interrupt would arrive.</summary>
    internal sealed class FakeInterruptSource : IInterruptSource
    {
        private readonly Action?[] _handlers;

        public FakeInterruptSource(InterruptMode mode, int vectorCount)
        {
            Mode = mode;
            VectorCount = vectorCount;
            _handlers = new Action?[vectorCount];
            Raised = new int[vectorCount];
        }

        public InterruptMode Mode { get; }

        public int VectorCount { get; }

        /// <summary>How often each vector fired.</summary>
        public int[] Raised { get; }

        public void SetHandler(int index, Action handler)
        {
            if ((uint)index >= (uint)VectorCount)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"vector {index} of {VectorCount}");
            }

            _handlers[index] = handler;
        }

        public bool HasHandler(int index) => _handlers[index] is not null;

        public void Raise(int index)
        {
            Raised[index]++;
            _handlers[index]?.Invoke();
        }
    }
}
