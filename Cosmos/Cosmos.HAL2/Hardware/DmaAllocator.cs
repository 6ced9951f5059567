using System;
using System.Collections.Generic;
using Cosmos.Core.Memory;

namespace Cosmos.HAL.Hardware
{
    /// <summary>
    /// The kernel's <see cref="IDmaAllocator"/>: whole pages from Cosmos.Core's page-frame pool,
    /// which lies outside the managed heap, is identity-mapped (kernel address = physical address)
    /// and cached (x86 DMA is cache-coherent). Buffers are zeroed and page-granular: a 16-byte
    /// request takes a page.
    /// </summary>
    public sealed class DmaAllocator : IDmaAllocator
    {
        private const int PageSize = (int)PageFrameAllocator.PageSize;
        private const ulong IdentityMappedBytes = 4UL << 30;

        // Physical start -> page count of the buffers this allocator handed out.
        private readonly Dictionary<ulong, ulong> _allocations = new();

        /// <summary>Bytes currently handed out by this allocator (whole pages).</summary>
        public ulong AllocatedBytes
        {
            get
            {
                ulong pages = 0;
                foreach (ulong count in _allocations.Values)
                {
                    pages += count;
                }

                return pages * (ulong)PageSize;
            }
        }

        /// <inheritdoc />
        public DmaBuffer Allocate(int length, int alignment)
        {
            if (length <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "a DMA buffer has at least one byte");
            }

            if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "DMA alignment is a power of two");
            }

            ulong pages = ((ulong)length + PageSize - 1) / PageSize;
            ulong physical = PageFrameAllocator.Allocate(pages, (ulong)Math.Max(alignment, PageSize));
            if (physical == 0)
            {
                throw new OutOfMemoryException(
                    $"DMA: no {pages} contiguous free pages aligned to 0x{alignment:x} ({PageFrameAllocator.FreeBytes / 1024} KiB free in the pool)");
            }

            _allocations.Add(physical, pages);
            return new DmaBuffer(physical, (nint)physical, length);
        }

        /// <inheritdoc />
        public void Free(DmaBuffer buffer)
        {
            if (!_allocations.Remove(buffer.PhysicalAddress, out ulong pages))
            {
                throw new ArgumentException($"DMA: 0x{buffer.PhysicalAddress:x} is not the start of a buffer this allocator handed out", nameof(buffer));
            }

            PageFrameAllocator.Free(buffer.PhysicalAddress, pages);
        }

        /// <summary>
        /// The kernel identity-maps the first 4 GiB (boot.asm), so memory there is physically contiguous
        /// and its kernel address is its bus address.
        /// </summary>
        public bool TryDescribe(nint address, int length, out DmaBuffer buffer)
        {
            buffer = default;
            if (address <= 0 || length <= 0 || (ulong)address + (ulong)length > IdentityMappedBytes)
            {
                return false;
            }

            buffer = new DmaBuffer((ulong)address, address, length);
            return true;
        }

        /// <inheritdoc />
        public nint ToVirtual(ulong physicalAddress)
        {
            foreach (KeyValuePair<ulong, ulong> allocation in _allocations)
            {
                if (physicalAddress >= allocation.Key && physicalAddress < allocation.Key + (allocation.Value * PageSize))
                {
                    return (nint)physicalAddress;
                }
            }

            return 0;
        }
    }
}
