using System.Collections.Generic;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>Where a PCI function is: segment (ECAM group), bus, device, function.</summary>
    public readonly record struct PciAddress(ushort Segment, byte Bus, byte Device, byte Function)
    {
        /// <inheritdoc />
        public override string ToString() => $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x}";
    }

    /// <summary>What a base address register decodes.</summary>
    public enum PciBarKind
    {
        /// <summary>Not implemented (or the upper half of a 64-bit BAR).</summary>
        None,

        /// <summary>I/O port space.</summary>
        Io,

        /// <summary>32-bit memory space.</summary>
        Memory32,

        /// <summary>64-bit memory space (uses this BAR and the next).</summary>
        Memory64,
    }

    /// <summary>A sized base address register.</summary>
    public sealed record PciBar(int Index, PciBarKind Kind, ulong Address, ulong Size, bool Prefetchable);

    /// <summary>An entry of the capability list: its ID (0x05 MSI, 0x09 vendor, 0x11 MSI-X, …) and config-space offset.</summary>
    public readonly record struct PciCapability(byte Id, int Offset);

    /// <summary>Reads and writes a function's configuration space (256 bytes, or 4 KiB through ECAM).</summary>
    public interface IPciConfigSpace
    {
        /// <summary>Reads a byte at <paramref name="offset"/>.</summary>
        byte Read8(int offset);

        /// <summary>Reads a 16-bit value at an even <paramref name="offset"/>.</summary>
        ushort Read16(int offset);

        /// <summary>Reads a 32-bit value at a multiple of 4.</summary>
        uint Read32(int offset);

        /// <summary>Writes a byte.</summary>
        void Write8(int offset, byte value);

        /// <summary>Writes a 16-bit value.</summary>
        void Write16(int offset, ushort value);

        /// <summary>Writes a 32-bit value.</summary>
        void Write32(int offset, uint value);
    }

    /// <summary>
    /// One PCI function as drivers see it: identity, BARs, capabilities, register windows and
    /// interrupts. The kernel's implementation enumerates real hardware; host tests use fakes.
    /// </summary>
    public interface IPciFunction
    {
        /// <summary>Its address.</summary>
        PciAddress Address { get; }

        /// <summary>Vendor ID (0x1AF4 for VirtIO).</summary>
        ushort VendorId { get; }

        /// <summary>Device ID.</summary>
        ushort DeviceId { get; }

        /// <summary>Revision ID.</summary>
        byte Revision { get; }

        /// <summary>Subsystem ID (for legacy VirtIO devices: the device type).</summary>
        ushort SubsystemId { get; }

        /// <summary>Class code, subclass and programming interface.</summary>
        byte ClassCode { get; }

        /// <summary>Subclass.</summary>
        byte Subclass { get; }

        /// <summary>Programming interface.</summary>
        byte ProgIf { get; }

        /// <summary>The configuration space.</summary>
        IPciConfigSpace Config { get; }

        /// <summary>The implemented BARs, sized.</summary>
        IReadOnlyList<PciBar> Bars { get; }

        /// <summary>The capability list, in list order.</summary>
        IReadOnlyList<PciCapability> Capabilities { get; }

        /// <summary>
        /// A register window inside BAR <paramref name="barIndex"/>: memory BARs are mapped
        /// uncached, I/O BARs become port ranges. Also turns on memory/I/O decoding and bus mastering.
        /// </summary>
        /// <exception cref="System.ArgumentException">No such BAR, or the window exceeds it.</exception>
        IRegisterBlock MapBar(int barIndex, ulong offset, ulong length);

        /// <summary>
        /// Sets up interrupts: MSI-X with up to <paramref name="wantedVectors"/> vectors if the
        /// function has it, else MSI, else its INTx line, else none (polled).
        /// </summary>
        IInterruptSource EnableInterrupts(int wantedVectors);
    }
}
