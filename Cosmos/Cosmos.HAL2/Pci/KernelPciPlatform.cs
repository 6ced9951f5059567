using System;
using Cosmos.Core;
using Cosmos.Core.InterruptControllers;
using Cosmos.Core.Memory;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>The machine as Cosmos.Core drives it: Paging.MapMmio, the vector allocator, the local APIC and the I/O APICs.</summary>
    public sealed class KernelPciPlatform : IPciPlatform
    {
        /// <summary>The one instance (it holds no state of its own).</summary>
        public static KernelPciPlatform Instance { get; } = new KernelPciPlatform();

        private KernelPciPlatform()
        {
        }

        /// <inheritdoc />
        public IRegisterBlock MapMemory(ulong physicalAddress, ulong length) =>
            new MmioRegisterBlock(physicalAddress, Paging.MapMmio(physicalAddress, length), length);

        /// <inheritdoc />
        public IRegisterBlock MapPorts(ushort firstPort, ushort length) => new PortRegisterBlock(firstPort, length);

        /// <inheritdoc />
        public bool TryAllocateVectors(int count, out int firstVector)
        {
            if (!InterruptHardware.IsApicMode)
            {
                firstVector = -1;
                return false;
            }

            return InterruptVectors.TryAllocateBlock(count, out firstVector);
        }

        /// <inheritdoc />
        public void FreeVectors(int firstVector, int count) => InterruptVectors.Free(firstVector, count);

        /// <inheritdoc />
        public MsiMessage ComposeMsiMessage(int vector) => new MsiMessage(InterruptHardware.MsiAddress, InterruptHardware.MsiData(vector));

        /// <inheritdoc />
        public void SetVectorHandler(int vector, Action? handler) =>
            Interrupts.SetHandler(vector, handler == null ? null : (ref InterruptFrame frame) => handler());

        /// <inheritdoc />
        public LegacyInterruptRoute? ConnectLegacyInterrupt(int irqLine, Action handler) => LegacyInterrupts.ConnectPci(irqLine, handler);

        /// <inheritdoc />
        public void DisconnectLegacyInterrupt(LegacyInterruptRoute route, Action handler) => LegacyInterrupts.Disconnect(route, handler);
    }
}
