using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// DMA memory from native memory whose "physical" address is its host address, so the harness can play the
    /// device on the rings the driver built. Everything is freed on dispose: a harness runs millions of times in one process.
    /// </summary>
    internal sealed unsafe class FuzzDmaAllocator : IDmaAllocator, IDisposable
    {
        private readonly List<(nint Address, int Length)> _live = new();
        private readonly long _limit;
        private long _liveBytes;

        /// <param name="limit">
        /// Bytes that may be live at once; past it <see cref="Allocate"/> throws <see cref="OutOfMemoryException"/>, as the
        /// kernel's allocator does when no region is free (a device asking for a 1 GiB framebuffer must not make the
        /// harness clear 1 GiB per input).
        /// </param>
        public FuzzDmaAllocator(long limit = long.MaxValue) => _limit = limit;

        public DmaBuffer Allocate(int length, int alignment)
        {
            if (length <= 0 || alignment <= 0 || (alignment & (alignment - 1)) != 0)
            {
                throw new ArgumentException($"bad DMA allocation of {length} bytes aligned {alignment}");
            }

            if (_liveBytes + length > _limit)
            {
                throw new OutOfMemoryException($"fuzz DMA: {length} bytes wanted, {_liveBytes} of {_limit} live");
            }

            void* memory = NativeMemory.AlignedAlloc((nuint)length, (nuint)Math.Max(alignment, 16));
            NativeMemory.Clear(memory, (nuint)length);
            _live.Add(((nint)memory, length));
            _liveBytes += length;
            return new DmaBuffer((ulong)memory, (nint)memory, length);
        }

        public void Free(DmaBuffer buffer)
        {
            int index = _live.FindIndex(r => r.Address == buffer.Address);
            if (index < 0)
            {
                throw new FuzzFindingException($"DMA free of 0x{buffer.Address:x}, which is not a live allocation");
            }

            NativeMemory.AlignedFree((void*)buffer.Address);
            _liveBytes -= _live[index].Length;
            _live.RemoveAt(index);
        }

        public nint ToVirtual(ulong physicalAddress) => (nint)physicalAddress;

        public bool TryDescribe(nint address, int length, out DmaBuffer buffer)
        {
            foreach ((nint start, int size) in _live)
            {
                if (address >= start && address + length <= start + size)
                {
                    buffer = new DmaBuffer((ulong)address, address, length);
                    return true;
                }
            }

            buffer = default;
            return false;
        }

        /// <summary>True when [address, address + length) lies inside one live allocation (a device must not touch anything else).</summary>
        public bool Contains(ulong address, long length) =>
            TryDescribe((nint)address, (int)Math.Min(length, int.MaxValue), out _);

        public void Dispose()
        {
            foreach ((nint address, int _) in _live)
            {
                NativeMemory.AlignedFree((void*)address);
            }

            _live.Clear();
            _liveBytes = 0;
        }
    }
}
