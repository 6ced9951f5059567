using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Cosmos.Core.Memory
{
    public static unsafe partial class GcHeap
    {
        /// <summary>
        /// The free slots of one allocated-bitmap word of one block, claimed for a size class: their allocated
        /// bits are set and their memory zeroed when the window is claimed, so taking a slot is clearing the
        /// lowest bit of <see cref="FreeBits"/>. Asm/allocation.asm takes slots with one store as its commit
        /// (an interrupt between its first load and that store restarts it: Asm/interrupts.asm), this file
        /// with interrupts off. A collection gives every window's untaken slots back before it marks, so the
        /// allocated bitmap then names exactly the objects. Layout shared with Asm/allocation.asm.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        private struct AllocationWindow
        {
            public ulong FreeBits;          // bit i: slot (Word * 64 + i) is zeroed and not yet taken
            public byte* SlotZero;          // the address of the word's slot 0
            public uint Stride;
            public uint Word;
            public SmallBlock* Block;
        }

        /// <summary>How many times an interrupt sent a thread back to the start of an allocation sequence.</summary>
        public static ulong AllocationRestarts => FastPathTable()[2];

        // A managed small slot (zeroed), or null when the heap has no room. Interrupts are off.
        private static byte* TakeFromWindow(int cls)
        {
            AllocationWindow* window = &s_windows[cls];
            if (window->FreeBits == 0 && !ClaimWindow(cls, window))
            {
                return null;
            }

            ulong bits = window->FreeBits;
            int bit = BitOperations.TrailingZeroCount(bits);
            window->FreeBits = bits & (bits - 1);
            return window->SlotZero + ((ulong)bit * window->Stride);
        }

        // Claims the next word with free slots in the class's partial blocks (a new block when none has one).
        private static bool ClaimWindow(int cls, AllocationWindow* window)
        {
            while (true)
            {
                SmallBlock* header = FirstPartialBlock(cls, 0, out uint block);
                if (header == null)
                {
                    return false;
                }

                uint words = (header->SlotCount + 63) / 64;
                for (uint word = header->SearchWord; word < words; word++)
                {
                    ulong free = ~header->Allocated[word] & WordMask(header, word);
                    if (free == 0)
                    {
                        continue;
                    }

                    header->Allocated[word] |= free;
                    uint count = (uint)BitOperations.PopCount(free);
                    header->FreeCount -= count;
                    header->SearchWord = word + 1;
                    if (header->FreeCount == 0)
                    {
                        UnlinkPartial(header, block);
                    }

                    s_managedBytes += (ulong)count * header->Stride;
                    byte* slotZero = SlotAddress(header, word * 64);
                    ZeroSlots(slotZero, header->Stride, free);
                    window->SlotZero = slotZero;
                    window->Stride = header->Stride;
                    window->Word = word;
                    window->Block = header;
                    window->FreeBits = free;
                    return true;
                }

                // The count promised a free slot the search did not find: re-check from word 0 (which drops a
                // wrong count to 0 and the block off the list) and try again.
                header->SearchWord = 0;
                SearchFrom0(header);
            }
        }

        // Zeroes each run of consecutive free slots with one clear.
        private static void ZeroSlots(byte* slotZero, uint stride, ulong free)
        {
            while (free != 0)
            {
                int first = BitOperations.TrailingZeroCount(free);
                ulong fromFirst = free >> first;
                int run = fromFirst == ulong.MaxValue ? 64 - first : BitOperations.TrailingZeroCount(~fromFirst);
                new Span<byte>(slotZero + ((ulong)first * stride), (int)((uint)run * stride)).Clear();
                free &= run + first >= 64 ? 0 : ulong.MaxValue << (first + run);
            }
        }

        /// <summary>
        /// Gives every window's untaken slots back to their blocks (allocated bits cleared): the collector calls
        /// this with interrupts off before it marks, so that an allocated bit always means an object.
        /// </summary>
        public static void ReturnWindows()
        {
            for (int cls = 0; cls < ClassCount; cls++)
            {
                AllocationWindow* window = &s_windows[cls];
                ulong untaken = window->FreeBits;
                window->FreeBits = 0;
                if (untaken == 0)
                {
                    continue;
                }

                SmallBlock* header = window->Block;
                header->Allocated[window->Word] &= ~untaken;
                uint count = (uint)BitOperations.PopCount(untaken);
                s_managedBytes -= (ulong)count * header->Stride;
                ReturnSlots(header, BlockOf(header), count, window->Word);
            }
        }

        // Claimed but untaken bytes, which ManagedBytes does not count as in use.
        private static ulong WindowReserveBytes()
        {
            if (s_windows == null)
            {
                return 0;
            }

            ulong bytes = 0;
            for (int cls = 0; cls < ClassCount; cls++)
            {
                bytes += (ulong)BitOperations.PopCount(s_windows[cls].FreeBits) * s_windows[cls].Stride;
            }

            return bytes;
        }
    }
}
