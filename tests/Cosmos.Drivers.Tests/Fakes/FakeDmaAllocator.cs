using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Tests.Fakes
{
    /// <summary>
    /// DMA memory from native memory, with "physical" addresses that are deliberately not the host
    /// addresses (they start at 32 GiB), so driver code that skips <see cref="ToVirtual"/> breaks.
    /// The simulated device reaches memory only through <see cref="DeviceView"/>, which fails on any
    /// address outside a live allocation.
    /// </summary>
    internal sealed unsafe class FakeDmaAllocator : IDmaAllocator, IDisposable
    {
        public const ulong PhysicalBase = 0x8_0000_0000;

        private readonly List<Region> _regions = new();
        private ulong _nextPhysical = PhysicalBase;

        /// <summary>Allocations left before <see cref="OutOfMemoryException"/>; negative for no limit.</summary>
        public int AllocationsLeft { get; set; } = -1;

        /// <summary>The largest buffer handed out; a larger request gets <see cref="OutOfMemoryException"/> (no contiguous room).</summary>
        public int LargestAllocation { get; set; } = int.MaxValue;

        public int LiveAllocations
        {
            get
            {
                int live = 0;
                foreach (Region region in _regions)
                {
                    live += region.Freed || region.Borrowed ? 0 : 1;
                }

                return live;
            }
        }

        public DmaBuffer Allocate(int length, int alignment)
        {
            if (length <= 0 || alignment <= 0 || (alignment & (alignment - 1)) != 0)
            {
                throw new ArgumentException($"bad allocation {length} bytes aligned {alignment}");
            }

            if (AllocationsLeft == 0 || length > LargestAllocation)
            {
                throw new OutOfMemoryException("fake DMA allocator exhausted");
            }

            if (AllocationsLeft > 0)
            {
                AllocationsLeft--;
            }

            int hostAlignment = Math.Max(alignment, 64);
            void* memory = NativeMemory.AlignedAlloc((nuint)length, (nuint)hostAlignment);
            NativeMemory.Clear(memory, (nuint)length);
            ulong align = (ulong)Math.Max(alignment, 16);
            ulong physical = (_nextPhysical + align - 1) & ~(align - 1);
            _nextPhysical = physical + (ulong)length + 0x1000; // a gap, so overruns hit nothing
            _regions.Add(new Region(physical, (nint)memory, length));
            return new DmaBuffer(physical, (nint)memory, length);
        }

        /// <summary>Whether <see cref="TryDescribe"/> lends the caller's memory to the device (else drivers must copy).</summary>
        public bool AllowDescribe { get; set; } = true;

        /// <summary>Memory the caller holds, given a fake bus address of its own so the device can reach it.</summary>
        public bool TryDescribe(nint address, int length, out DmaBuffer buffer)
        {
            buffer = default;
            if (!AllowDescribe || address == 0 || length <= 0)
            {
                return false;
            }

            ulong physical = (_nextPhysical + 15) & ~15UL;
            _nextPhysical = physical + (ulong)length + 0x1000;
            _regions.Add(new Region(physical, address, length) { Borrowed = true });
            buffer = new DmaBuffer(physical, address, length);
            return true;
        }

        public void Free(DmaBuffer buffer)
        {
            Region region = Find(buffer.PhysicalAddress, 1) ?? throw new InvalidOperationException($"0x{buffer.PhysicalAddress:x} was not allocated");
            region.Freed = true;
            NativeMemory.AlignedFree((void*)region.Address);
        }

        public nint ToVirtual(ulong physicalAddress)
        {
            Region? region = Find(physicalAddress, 1);
            return region is null ? 0 : region.Address + (nint)(physicalAddress - region.Physical);
        }

        /// <summary>What the device sees at <paramref name="physicalAddress"/>; throws when the driver handed it memory it does not own.</summary>
        public Span<byte> DeviceView(ulong physicalAddress, int length)
        {
            Region region = Find(physicalAddress, length)
                ?? throw new InvalidOperationException($"device access to 0x{physicalAddress:x}+{length} is outside every DMA allocation");
            return new Span<byte>((byte*)(region.Address + (nint)(physicalAddress - region.Physical)), length);
        }

        public void Dispose()
        {
            foreach (Region region in _regions)
            {
                if (!region.Freed && !region.Borrowed)
                {
                    region.Freed = true;
                    NativeMemory.AlignedFree((void*)region.Address);
                }
            }
        }

        private Region? Find(ulong physical, int length)
        {
            foreach (Region region in _regions)
            {
                if (!region.Freed && physical >= region.Physical && physical + (ulong)length <= region.Physical + (ulong)region.Length)
                {
                    return region;
                }
            }

            return null;
        }

        private sealed class Region
        {
            public Region(ulong physical, nint address, int length)
            {
                Physical = physical;
                Address = address;
                Length = length;
            }

            public ulong Physical { get; }

            public nint Address { get; }

            public int Length { get; }

            public bool Freed { get; set; }

            /// <summary>The caller's own memory lent through TryDescribe: never freed here, not an allocation.</summary>
            public bool Borrowed { get; init; }
        }
    }
}
