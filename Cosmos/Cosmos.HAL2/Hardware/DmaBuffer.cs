using System;

namespace Cosmos.HAL.Hardware
{
    /// <summary>
    /// Physically contiguous memory a device may read and write: its bus address and where the
    /// kernel sees it. Never moved or freed by the garbage collector.
    /// </summary>
    public readonly unsafe struct DmaBuffer
    {
        /// <summary>Describes an allocated region.</summary>
        public DmaBuffer(ulong physicalAddress, nint address, int length)
        {
            PhysicalAddress = physicalAddress;
            Address = address;
            Length = length;
        }

        /// <summary>The address the device uses.</summary>
        public ulong PhysicalAddress { get; }

        /// <summary>The address the kernel uses.</summary>
        public nint Address { get; }

        /// <summary>Size in bytes.</summary>
        public int Length { get; }

        /// <summary>True for the default (no memory).</summary>
        public bool IsEmpty => Length == 0;

        /// <summary>The memory as bytes.</summary>
        public Span<byte> Span => new((void*)Address, Length);

        /// <summary>A part of this buffer (same physical contiguity).</summary>
        public DmaBuffer Slice(int offset, int length)
        {
            if ((uint)offset > (uint)Length || (uint)length > (uint)(Length - offset))
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"slice {offset}+{length} outside a buffer of {Length} bytes");
            }

            return new DmaBuffer(PhysicalAddress + (ulong)offset, Address + offset, length);
        }
    }

    /// <summary>Hands out <see cref="DmaBuffer"/>s; the kernel's uses pinned physical pages, tests use native memory.</summary>
    public interface IDmaAllocator
    {
        /// <summary>Zeroed, physically contiguous memory aligned to <paramref name="alignment"/> (a power of two).</summary>
        /// <exception cref="OutOfMemoryException">No such region is available.</exception>
        DmaBuffer Allocate(int length, int alignment);

        /// <summary>Returns a buffer from <see cref="Allocate"/>.</summary>
        void Free(DmaBuffer buffer);

        /// <summary>The kernel address of a physical address inside a buffer this allocator gave out, or 0.</summary>
        nint ToVirtual(ulong physicalAddress);

        /// <summary>
        /// Describes memory the caller already holds (a pinned array, a stack buffer) as a buffer a device can
        /// reach directly, when it is physically contiguous; false when it must be copied through an allocated one.
        /// The caller keeps the memory pinned until the device is done with it.
        /// </summary>
        bool TryDescribe(nint address, int length, out DmaBuffer buffer);
    }
}
