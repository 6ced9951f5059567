using System;
using Cosmos.Core.InterruptControllers;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>An MSI or MSI-X message: the device writes <c>Data</c> to <c>Address</c> to interrupt.</summary>
    public readonly record struct MsiMessage(ulong Address, uint Data);

    /// <summary>
    /// What PCI needs from the machine beyond configuration space: mapping register windows,
    /// interrupt vectors and their handlers, and legacy lines through the I/O APIC. The kernel's
    /// is <see cref="KernelPciPlatform"/>; host tests supply fakes.
    /// </summary>
    public interface IPciPlatform
    {
        /// <summary>Device memory at <paramref name="physicalAddress"/>, mapped uncached.</summary>
        IRegisterBlock MapMemory(ulong physicalAddress, ulong length);

        /// <summary>An I/O port range.</summary>
        IRegisterBlock MapPorts(ushort firstPort, ushort length);

        /// <summary><paramref name="count"/> (a power of two) contiguous vectors aligned to <paramref name="count"/>; false when none are left.</summary>
        bool TryAllocateVectors(int count, out int firstVector);

        /// <summary>Returns vectors (their handlers are removed).</summary>
        void FreeVectors(int firstVector, int count);

        /// <summary>The message that makes a device interrupt this CPU on <paramref name="vector"/>.</summary>
        MsiMessage ComposeMsiMessage(int vector);

        /// <summary>Runs <paramref name="handler"/> (null: nothing) when <paramref name="vector"/> arrives.</summary>
        void SetVectorHandler(int vector, Action? handler);

        /// <summary>Connects a handler to the legacy IRQ line firmware assigned (config 0x3C); null when no I/O APIC serves it.</summary>
        LegacyInterruptRoute? ConnectLegacyInterrupt(int irqLine, Action handler);

        /// <summary>Undoes <see cref="ConnectLegacyInterrupt"/>.</summary>
        void DisconnectLegacyInterrupt(LegacyInterruptRoute route, Action handler);
    }
}
