using System;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// Physical 4 KiB page frames outside the managed heap: page tables, DMA memory and anything
    /// else a device or the MMU reads by physical address. A pool reserved at start-up (see
    /// <see cref="PhysicalMemory"/>), identity-mapped, tracked by a bitmap kept in the pool's
    /// first pages. Allocations are zeroed and physically contiguous. Only primitive statics, and
    /// every change runs with interrupts off, so handlers may allocate too.
    /// </summary>
    public static unsafe class PageFrameAllocator
    {
        /// <summary>The size of one frame.</summary>
        public const ulong PageSize = 4096;

        private static ulong s_poolStart;
        private static ulong s_pageCount;
        private static ulong* s_usedBitmap;      // bit set = frame in use
        private static ulong s_freePages;

        /// <summary>Physical address of the pool's first byte (0 before <see cref="Initialize"/>).</summary>
        public static ulong PoolStart => s_poolStart;

        /// <summary>Bytes in the pool, bitmap included.</summary>
        public static ulong PoolBytes => s_pageCount * PageSize;

        /// <summary>Bytes not handed out.</summary>
        public static ulong FreeBytes => s_freePages * PageSize;

        /// <summary>Takes over [<paramref name="start"/>, +<paramref name="length"/>), page-aligned and identity-mapped.</summary>
        public static void Initialize(ulong start, ulong length)
        {
            if ((start & (PageSize - 1)) != 0 || length < 2 * PageSize)
            {
                throw new ArgumentException($"page pool 0x{start:x}+0x{length:x} must be page-aligned and at least two pages");
            }

            s_poolStart = start;
            s_pageCount = length / PageSize;
            s_usedBitmap = (ulong*)start;
            ulong bitmapBytes = (s_pageCount + 63) / 64 * 8;
            ulong bitmapPages = (bitmapBytes + PageSize - 1) / PageSize;
            new Span<byte>((void*)start, (int)(bitmapPages * PageSize)).Clear();
            for (ulong page = 0; page < bitmapPages; page++)
            {
                MarkUsed(page);
            }

            s_freePages = s_pageCount - bitmapPages;
        }

        /// <summary>
        /// Zeroed, physically contiguous frames whose address is a multiple of
        /// <paramref name="alignment"/> (a power of two; at least a page). Returns 0 when no such run is free.
        /// </summary>
        public static ulong Allocate(ulong pageCount, ulong alignment = PageSize)
        {
            if (pageCount == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0)
            {
                throw new ArgumentException($"cannot allocate {pageCount} pages aligned to 0x{alignment:x}");
            }

            if (alignment < PageSize)
            {
                alignment = PageSize;
            }

            ulong result = 0;
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            ulong step = alignment / PageSize;
            // The first index whose physical address is aligned.
            ulong first = ((s_poolStart + alignment - 1) & ~(alignment - 1)) - s_poolStart;
            for (ulong index = first / PageSize; s_pageCount != 0 && index + pageCount <= s_pageCount; index += step)
            {
                ulong used = FirstUsedIn(index, pageCount);
                if (used == ulong.MaxValue)
                {
                    for (ulong page = index; page < index + pageCount; page++)
                    {
                        MarkUsed(page);
                    }

                    s_freePages -= pageCount;
                    result = s_poolStart + (index * PageSize);
                    break;
                }

                // Skip past the frame in use, staying on the alignment grid.
                while (index + step <= used)
                {
                    index += step;
                }
            }

            Native.RestoreFlags(flags);
            if (result != 0)
            {
                new Span<byte>((void*)result, checked((int)(pageCount * PageSize))).Clear();
            }

            return result;
        }

        /// <summary>Returns frames from <see cref="Allocate"/>.</summary>
        public static void Free(ulong physicalAddress, ulong pageCount)
        {
            ulong index = (physicalAddress - s_poolStart) / PageSize;
            if (physicalAddress < s_poolStart || (physicalAddress & (PageSize - 1)) != 0 || index + pageCount > s_pageCount)
            {
                throw new ArgumentException($"0x{physicalAddress:x} (+{pageCount} pages) is not in the page pool at 0x{s_poolStart:x}");
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            for (ulong page = index; page < index + pageCount; page++)
            {
                if ((s_usedBitmap[page / 64] & (1UL << (int)(page % 64))) == 0)
                {
                    Native.RestoreFlags(flags);
                    throw new InvalidOperationException($"page 0x{s_poolStart + (page * PageSize):x} freed twice");
                }

                s_usedBitmap[page / 64] &= ~(1UL << (int)(page % 64));
            }

            s_freePages += pageCount;
            Native.RestoreFlags(flags);
        }

        /// <summary>True when <paramref name="physicalAddress"/> lies inside the pool.</summary>
        public static bool Contains(ulong physicalAddress) =>
            physicalAddress >= s_poolStart && physicalAddress < s_poolStart + (s_pageCount * PageSize);

        private static void MarkUsed(ulong page) => s_usedBitmap[page / 64] |= 1UL << (int)(page % 64);

        // The highest used frame in [index, index + count), or ulong.MaxValue if all are free.
        private static ulong FirstUsedIn(ulong index, ulong count)
        {
            for (ulong page = index + count; page > index; page--)
            {
                if ((s_usedBitmap[(page - 1) / 64] & (1UL << (int)((page - 1) % 64))) != 0)
                {
                    return page - 1;
                }
            }

            return ulong.MaxValue;
        }
    }
}
