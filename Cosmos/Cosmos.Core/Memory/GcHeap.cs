using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Cosmos.Core.Memory
{
    /// <summary>
    /// The managed heap: 64 KiB blocks over the range <see cref="PhysicalMemory"/> gives it. Small
    /// allocations (up to <see cref="MaxSmallBytes"/>) come from blocks of one size class each, whose
    /// header holds an allocated bitmap and a mark bitmap, so that any address inside a block leads to
    /// its slot (interior pointers) and a sweep needs no object walk. Larger ones take runs of whole
    /// blocks. Two spaces share the blocks: managed objects, which the collector marks and sweeps, and
    /// native memory (malloc, handle tables, dispatch caches), which is freed only when asked. Nothing
    /// ever moves. Only primitive statics; every operation runs with interrupts off.
    /// Managed small objects come through allocation windows (GcHeap.Windows.cs): per size class, the free
    /// slots of one bitmap word, claimed and zeroed together, which Asm/allocation.asm takes one at a time.
    /// </summary>
    public static unsafe partial class GcHeap
    {
        /// <summary>Bytes in one block.</summary>
        public const int BlockSize = 1 << BlockShift;

        /// <summary>The largest allocation served from size-class blocks.</summary>
        public const int MaxSmallBytes = 16384;

        internal const byte KindFree = 0, KindSmall = 1, KindLarge = 2, KindLargeTail = 3, KindMeta = 4, KindNativeSmall = 5, KindNativeLarge = 6;

        private const int BlockShift = 16;
        private const int SmallHeaderBytes = 64 + (2 * BitmapBytes);
        private const int BitmapBytes = 512;                     // 4,096 slots of 16 bytes at most
        private const int LargeManagedHeaderBytes = 64;
        private const int LargeNativeHeaderBytes = 4096;         // native large memory is page-aligned (mmap)
        private const int ClassCount = 36;
        private const int Spaces = 2;

        private static byte* s_start;                 // first block
        private static uint s_blockCount;
        private static byte* s_kind;                  // per block
        private static uint* s_owner;                 // large tail -> its first block; large first -> block count
        private static uint* s_strides;               // per class
        private static byte* s_classOfWords;          // (bytes + 7) / 8 -> class
        private static uint* s_partial;               // [space * ClassCount + class] -> block + 1 with free slots
        private static AllocationWindow* s_windows;   // per class, managed space only
        private static uint s_freeBlocks;
        private static uint s_nextFreeHint;
        private static ulong s_managedBytes;
        private static ulong s_nativeBytes;

        /// <summary>True once the heap owns its range.</summary>
        public static bool IsInitialized => s_start != null;

        /// <summary>Bytes in live managed slots and large objects (what GC.GetTotalMemory reports).</summary>
        public static ulong ManagedBytes => s_managedBytes - WindowReserveBytes();

        /// <summary>Bytes of native memory handed out and not freed.</summary>
        public static ulong NativeBytes => s_nativeBytes;

        /// <summary>Bytes the heap's blocks cover.</summary>
        public static ulong TotalBytes => (ulong)s_blockCount * BlockSize;

        /// <summary>Bytes in blocks that hold nothing.</summary>
        public static ulong FreeBytes => (ulong)s_freeBlocks * BlockSize;

        /// <summary>First byte of the heap's blocks.</summary>
        public static byte* Start => s_start;

        /// <summary>One past the heap's last byte.</summary>
        public static byte* End => s_start + ((ulong)s_blockCount * BlockSize);

        /// <summary>Takes over [<paramref name="start"/>, +<paramref name="length"/>); the first blocks hold the heap's own tables.</summary>
        public static void Initialize(byte* start, ulong length)
        {
            byte* aligned = (byte*)(((ulong)start + BlockSize - 1) & ~(ulong)(BlockSize - 1));
            ulong usable = length - (ulong)(aligned - start);
            uint blocks = (uint)(usable / BlockSize);
            if (blocks < 8)
            {
                return;
            }

            ulong tableBytes = ((ulong)ClassCount * (ulong)sizeof(AllocationWindow)) + blocks + ((ulong)blocks * 4) + (ClassCount * 4)
                + ((MaxSmallBytes / 8) + 1) + (Spaces * ClassCount * 4);
            uint metaBlocks = (uint)((tableBytes + BlockSize - 1) / BlockSize);
            byte* tables = aligned;
            new Span<byte>(tables, (int)(metaBlocks * BlockSize)).Clear();
            s_windows = (AllocationWindow*)tables;
            tables += ClassCount * sizeof(AllocationWindow);
            s_kind = tables;
            s_owner = (uint*)(tables + blocks);
            s_strides = s_owner + blocks;
            s_partial = s_strides + ClassCount;
            s_classOfWords = (byte*)(s_partial + (Spaces * ClassCount));
            InitializeClasses();
            for (uint b = 0; b < metaBlocks; b++)
            {
                s_kind[b] = KindMeta;
            }

            s_blockCount = blocks;
            s_freeBlocks = blocks - metaBlocks;
            s_nextFreeHint = metaBlocks;
            s_start = aligned;
            PublishFastPath();
        }

        // Asm/allocation.asm reads the windows and the class table from cosmos_heap_fast; the class table
        // last, as the sign that the heap is up.
        private static void PublishFastPath()
        {
            ulong* fast = FastPathTable();
            fast[1] = (ulong)s_windows;
            Volatile.Write(ref fast[0], (ulong)s_classOfWords);
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_heap_fast_table")]
        private static extern ulong* FastPathTable();

        /// <summary>Zeroed native memory (16-byte aligned; 4 KiB aligned above <see cref="MaxSmallBytes"/>), or null.</summary>
        public static byte* AllocateNative(ulong bytes) => Allocate(bytes, 1);

        /// <summary>Gives back native memory from <see cref="AllocateNative"/>; other addresses are ignored (false).</summary>
        public static bool FreeNative(void* memory)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            bool freed = false;
            if (InHeap(memory))
            {
                uint block = BlockOf(memory);
                if (s_kind[block] == KindNativeSmall)
                {
                    SmallBlock* header = (SmallBlock*)BlockAddress(block);
                    long offset = (byte*)memory - (byte*)header - SmallHeaderBytes;
                    if (offset >= 0 && offset % header->Stride == 0 && offset / header->Stride < header->SlotCount)
                    {
                        uint slot = SlotAt(header, (ulong)offset);
                        if (TestBit(header->Allocated, slot))
                        {
                            s_nativeBytes -= header->Stride;
                            SetBit(header->Allocated, slot, false);
                            ReturnSlots(header, block, 1, slot >> 6);
                            freed = true;
                        }
                    }
                }
                else if (s_kind[block] == KindNativeLarge && (byte*)memory == BlockAddress(block) + LargeNativeHeaderBytes)
                {
                    s_nativeBytes -= (ulong)s_owner[block] * BlockSize;
                    FreeBlocks(block, s_owner[block]);
                    freed = true;
                }
            }

            Native.RestoreFlags(flags);
            return freed;
        }

        /// <summary>True when <paramref name="address"/> lies in the heap's blocks.</summary>
        public static bool InHeap(void* address) => address >= s_start && address < End;

        /// <summary>
        /// The managed object that <paramref name="address"/> points into (its MethodTable word), or 0 when it
        /// points at no allocated managed object. With <paramref name="interior"/> false only the object's own
        /// address counts.
        /// </summary>
        public static nint FindObject(nint address, bool interior)
        {
            if (!InHeap((void*)address))
            {
                return 0;
            }

            uint block = BlockOf((void*)address);
            byte kind = s_kind[block];
            if (kind == KindLargeTail)
            {
                block = s_owner[block];
                kind = s_kind[block];
            }

            if (kind == KindSmall)
            {
                SmallBlock* header = (SmallBlock*)BlockAddress(block);
                long offset = (byte*)address - (byte*)header - SmallHeaderBytes;
                if (offset < 0)
                {
                    return 0;
                }

                uint slot = SlotAt(header, (ulong)offset);
                if (slot >= header->SlotCount || !TestBit(header->Allocated, slot))
                {
                    return 0;
                }

                nint objectAddress = (nint)((byte*)header + SmallHeaderBytes + ((ulong)slot * header->Stride) + 8);
                return interior || address == objectAddress ? objectAddress : 0;
            }

            if (kind == KindLarge)
            {
                byte* blockStart = BlockAddress(block);
                nint objectAddress = (nint)(blockStart + LargeManagedHeaderBytes + 8);
                ulong size = ((LargeHeader*)blockStart)->Size;
                bool inside = address >= objectAddress - 8 && (ulong)(address - (objectAddress - 8)) < size;
                return (interior ? inside : address == objectAddress) ? objectAddress : 0;
            }

            return 0;
        }

        /// <summary>Sets the mark of the object at <paramref name="objectAddress"/> (from <see cref="FindObject"/>); false when it was set already.</summary>
        public static bool TryMark(nint objectAddress)
        {
            uint block = BlockOf((void*)objectAddress);
            if (s_kind[block] == KindLargeTail)
            {
                block = s_owner[block];
            }

            byte* blockStart = BlockAddress(block);
            if (s_kind[block] == KindLarge)
            {
                LargeHeader* large = (LargeHeader*)blockStart;
                if (large->Marked != 0)
                {
                    return false;
                }

                large->Marked = 1;
                return true;
            }

            SmallBlock* header = (SmallBlock*)blockStart;
            uint slot = SlotAt(header, (ulong)((byte*)objectAddress - 8 - (byte*)header - SmallHeaderBytes));
            if (TestBit(header->Marked, slot))
            {
                return false;
            }

            SetBit(header->Marked, slot, true);
            return true;
        }

        /// <summary>
        /// Marks the object a reference field holds (an object's exact address, as fields hold; never interior):
        /// true when it was not marked before. Values outside the heap are left alone (false). The collector's
        /// hot path: one block lookup and one bit for a small object.
        /// </summary>
        public static bool TryMarkReference(nint value)
        {
            if (!InHeap((void*)value))
            {
                return false;
            }

            uint block = BlockOf((void*)value);
            if (s_kind[block] != KindSmall)
            {
                nint objectAddress = FindObject(value, interior: false);
                return objectAddress != 0 && TryMark(objectAddress);
            }

            SmallBlock* header = (SmallBlock*)BlockAddress(block);
            uint slot = SlotAt(header, (ulong)((byte*)value - 8 - (byte*)header - SmallHeaderBytes));
            ulong* word = &header->Marked[slot >> 6];
            ulong bit = 1UL << (int)(slot & 63);
            if ((*word & bit) != 0)
            {
                return false;
            }

            *word |= bit;
            return true;
        }

        /// <summary>True when the object at <paramref name="objectAddress"/> is marked (outside the heap: always).</summary>
        public static bool IsMarked(nint objectAddress)
        {
            if (!InHeap((void*)objectAddress))
            {
                return true;
            }

            uint block = BlockOf((void*)objectAddress);
            if (s_kind[block] == KindLargeTail)
            {
                block = s_owner[block];
            }

            byte* blockStart = BlockAddress(block);
            if (s_kind[block] == KindLarge)
            {
                return ((LargeHeader*)blockStart)->Marked != 0;
            }

            if (s_kind[block] != KindSmall)
            {
                return true;
            }

            SmallBlock* header = (SmallBlock*)blockStart;
            uint slot = SlotAt(header, (ulong)((byte*)objectAddress - 8 - (byte*)header - SmallHeaderBytes));
            return TestBit(header->Marked, slot);
        }

        /// <summary>
        /// Calls <paramref name="visit"/> with every marked managed object (for re-scanning after the mark stack
        /// overflowed).
        /// </summary>
        public static void ForEachMarked(delegate*<nint, void> visit)
        {
            for (uint block = 0; block < s_blockCount; block++)
            {
                byte kind = s_kind[block];
                byte* blockStart = BlockAddress(block);
                if (kind == KindLarge)
                {
                    if (((LargeHeader*)blockStart)->Marked != 0)
                    {
                        visit((nint)(blockStart + LargeManagedHeaderBytes + 8));
                    }
                }
                else if (kind == KindSmall)
                {
                    SmallBlock* header = (SmallBlock*)blockStart;
                    for (uint slot = 0; slot < header->SlotCount; slot++)
                    {
                        if (TestBit(header->Marked, slot))
                        {
                            visit((nint)(blockStart + SmallHeaderBytes + ((ulong)slot * header->Stride) + 8));
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Frees every unmarked managed object and clears the marks of the rest; blocks left empty go back to
        /// the pool. Returns the bytes freed.
        /// </summary>
        public static ulong Sweep()
        {
            ulong freed = 0;
            for (uint block = 0; block < s_blockCount; block++)
            {
                byte kind = s_kind[block];
                byte* blockStart = BlockAddress(block);
                if (kind == KindLarge)
                {
                    LargeHeader* large = (LargeHeader*)blockStart;
                    if (large->Marked != 0)
                    {
                        large->Marked = 0;
                    }
                    else
                    {
                        freed += large->Size;
                        s_managedBytes -= large->Size;
                        uint count = s_owner[block];
                        FreeBlocks(block, count);
                        block += count - 1;
                    }
                }
                else if (kind == KindSmall)
                {
                    // The marks are the new allocated bits: a word at a time, no object visited. (The windows
                    // were given back before marking, so every allocated bit was an object.)
                    SmallBlock* header = (SmallBlock*)blockStart;
                    uint live = 0, garbage = 0;
                    for (int word = 0; word < (header->SlotCount + 63) / 64; word++)
                    {
                        ulong marked = header->Marked[word];
                        garbage += (uint)System.Numerics.BitOperations.PopCount(header->Allocated[word] & ~marked);
                        live += (uint)System.Numerics.BitOperations.PopCount(marked);
                        header->Allocated[word] = marked;
                        header->Marked[word] = 0;
                    }

                    ulong freedHere = (ulong)garbage * header->Stride;
                    freed += freedHere;
                    s_managedBytes -= freedHere;
                    header->FreeCount = header->SlotCount - live;
                    header->SearchWord = 0;
                    if (live == 0)
                    {
                        UnlinkPartial(header, block);
                        FreeBlocks(block, 1);
                    }
                    else if (header->FreeCount > 0)
                    {
                        LinkPartial(header, block);
                    }
                }
            }

            return freed;
        }

        private static byte* Allocate(ulong bytes, int space)
        {
            if (bytes == 0)
            {
                bytes = 1;
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            byte* result = AllocateInterruptsOff(bytes, space);
            Native.RestoreFlags(flags);
            return result;
        }

        /// <summary>
        /// Zeroed memory for a managed object of <paramref name="bytes"/> (header word included), or null, for a
        /// caller that has turned interrupts off itself (the allocation exports, which also write the
        /// MethodTable before anyone can see the slot).
        /// </summary>
        public static byte* AllocateObjectInterruptsOff(ulong bytes) => AllocateInterruptsOff(bytes == 0 ? 1 : bytes, 0);

        private static byte* AllocateInterruptsOff(ulong bytes, int space)
        {
            byte* result;
            if (bytes <= MaxSmallBytes)
            {
                int cls = s_classOfWords[(bytes + 7) / 8];
                if (space == 1 && (s_strides[cls] & 15) != 0)
                {
                    cls++;      // native memory keeps malloc's 16-byte alignment
                }

                result = AllocateSmall(cls, space);
            }
            else
            {
                result = AllocateLarge(bytes, space);
            }

            return result;
        }

        // Offsets inside a block are below 64 KiB, where the reciprocal gives the exact quotient (no divide).
        private static uint SlotAt(SmallBlock* header, ulong offset) => (uint)((offset * header->StrideReciprocal) >> 32);

        private static byte* AllocateSmall(int cls, int space)
        {
            if (space == 0)
            {
                return TakeFromWindow(cls);
            }

            SmallBlock* header = FirstPartialBlock(cls, space, out uint block);
            if (header == null)
            {
                return null;
            }

            // Native memory: the first clear bit from the block's search hint.
            uint words = (header->SlotCount + 63) / 64;
            for (uint word = header->SearchWord; word < words; word++)
            {
                ulong free = ~header->Allocated[word] & WordMask(header, word);
                if (free == 0)
                {
                    continue;
                }

                int bit = System.Numerics.BitOperations.TrailingZeroCount(free);
                header->Allocated[word] |= 1UL << bit;
                header->SearchWord = word;
                header->FreeCount--;
                if (header->FreeCount == 0)
                {
                    UnlinkPartial(header, block);
                }

                byte* slotAddress = SlotAddress(header, (word * 64) + (uint)bit);
                new Span<byte>(slotAddress, (int)header->Stride).Clear();
                s_nativeBytes += header->Stride;
                return slotAddress;
            }

            // The free count and the bitmap disagree: the hint is wrong; start over from the first word.
            // (A wrong hint is set back to 0; a wrong count to 0, which takes the block off the list.)
            header->SearchWord = 0;
            SearchFrom0(header);
            return AllocateSmall(cls, space);
        }

        private static void SearchFrom0(SmallBlock* header)
        {
            for (uint word = 0; word < (header->SlotCount + 63) / 64; word++)
            {
                if ((~header->Allocated[word] & WordMask(header, word)) != 0)
                {
                    return;
                }
            }

            header->FreeCount = 0;
        }

        // The first block of the class with a free slot (full blocks met on the way leave the list), a new one
        // when there is none, or null when the heap has no block left.
        private static SmallBlock* FirstPartialBlock(int cls, int space, out uint block)
        {
            uint* head = &s_partial[(space * ClassCount) + cls];
            while (*head != 0)
            {
                block = *head - 1;
                SmallBlock* header = (SmallBlock*)BlockAddress(block);
                if (header->FreeCount > 0)
                {
                    return header;
                }

                *head = header->NextPartial;
                header->NextPartial = 0;
                header->InPartialList = 0;
            }

            if (!TakeBlocks(1, out block))
            {
                return null;
            }

            SmallBlock* fresh = InitializeSmallBlock(block, cls, space);
            LinkPartial(fresh, block);
            return fresh;
        }

        // The bits of a bitmap word that stand for real slots.
        private static ulong WordMask(SmallBlock* header, uint word)
        {
            uint slotsBefore = word * 64;
            uint slotsIn = header->SlotCount - slotsBefore;
            return slotsIn >= 64 ? ulong.MaxValue : (1UL << (int)slotsIn) - 1;
        }

        private static byte* SlotAddress(SmallBlock* header, uint slot) => (byte*)header + SmallHeaderBytes + ((ulong)slot * header->Stride);

        private static byte* AllocateLarge(ulong bytes, int space)
        {
            ulong headerBytes = space == 0 ? (ulong)LargeManagedHeaderBytes : (ulong)LargeNativeHeaderBytes;
            ulong blocks = (bytes + headerBytes + BlockSize - 1) / BlockSize;
            if (blocks > s_blockCount || !TakeBlocks((uint)blocks, out uint first))
            {
                return null;
            }

            s_kind[first] = space == 0 ? KindLarge : KindNativeLarge;
            s_owner[first] = (uint)blocks;
            for (uint b = 1; b < blocks; b++)
            {
                s_kind[first + b] = KindLargeTail;
                s_owner[first + b] = first;
            }

            byte* start = BlockAddress(first);
            LargeHeader* header = (LargeHeader*)start;
            header->Marked = 0;
            header->Size = bytes;
            byte* data = start + headerBytes;
            ClearLarge(data, bytes);
            if (space == 0)
            {
                s_managedBytes += bytes;
            }
            else
            {
                s_nativeBytes += blocks * BlockSize;
            }

            return data;
        }

        private static void ClearLarge(byte* data, ulong bytes)
        {
            while (bytes > 0)
            {
                int chunk = bytes > int.MaxValue ? int.MaxValue : (int)bytes;
                new Span<byte>(data, chunk).Clear();
                data += chunk;
                bytes -= (ulong)chunk;
            }
        }

        // First fit from the hint, wrapping once.
        private static bool TakeBlocks(uint count, out uint first)
        {
            first = 0;
            if (count > s_freeBlocks)
            {
                return false;
            }

            for (int pass = 0; pass < 2; pass++)
            {
                uint from = pass == 0 ? s_nextFreeHint : 0;
                uint run = 0;
                for (uint b = from; b < s_blockCount; b++)
                {
                    run = s_kind[b] == KindFree ? run + 1 : 0;
                    if (run == count)
                    {
                        first = b - count + 1;
                        s_freeBlocks -= count;
                        s_nextFreeHint = b + 1 < s_blockCount ? b + 1 : 0;
                        for (uint taken = first; taken <= b; taken++)
                        {
                            s_kind[taken] = KindSmall;     // provisional: the caller sets the real kind
                        }

                        return true;
                    }
                }
            }

            return false;
        }

        private static void FreeBlocks(uint first, uint count)
        {
            for (uint b = first; b < first + count; b++)
            {
                s_kind[b] = KindFree;
                s_owner[b] = 0;
            }

            s_freeBlocks += count;
            if (first < s_nextFreeHint)
            {
                s_nextFreeHint = first;
            }
        }

        private static SmallBlock* InitializeSmallBlock(uint block, int cls, int space)
        {
            s_kind[block] = space == 0 ? KindSmall : KindNativeSmall;
            SmallBlock* header = (SmallBlock*)BlockAddress(block);
            new Span<byte>(header, SmallHeaderBytes).Clear();
            header->Stride = s_strides[cls];
            header->ClassIndex = (uint)cls;
            header->Space = (uint)space;
            header->SlotCount = (BlockSize - SmallHeaderBytes) / header->Stride;
            header->StrideReciprocal = ((1UL << 32) + header->Stride - 1) / header->Stride;
            header->FreeCount = header->SlotCount;
            return header;
        }

        // Accounts for slots whose allocated bits were just cleared (in bitmap word <paramref name="word"/>):
        // an emptied block goes back to the pool, a block that had no free slot rejoins its class's partial list.
        private static void ReturnSlots(SmallBlock* header, uint block, uint count, uint word)
        {
            header->FreeCount += count;
            if (word < header->SearchWord)
            {
                header->SearchWord = word;
            }

            if (header->FreeCount == header->SlotCount)
            {
                UnlinkPartial(header, block);
                FreeBlocks(block, 1);
                return;
            }

            LinkPartial(header, block);
        }

        private static void LinkPartial(SmallBlock* header, uint block)
        {
            if (header->InPartialList != 0)
            {
                return;
            }

            uint* head = &s_partial[((int)header->Space * ClassCount) + (int)header->ClassIndex];
            header->NextPartial = *head;
            header->InPartialList = 1;
            *head = block + 1;
        }

        private static void UnlinkPartial(SmallBlock* header, uint block)
        {
            if (header->InPartialList == 0)
            {
                return;
            }

            uint* link = &s_partial[((int)header->Space * ClassCount) + (int)header->ClassIndex];
            while (*link != 0)
            {
                if (*link == block + 1)
                {
                    *link = header->NextPartial;
                    break;
                }

                link = &((SmallBlock*)BlockAddress(*link - 1))->NextPartial;
            }

            header->InPartialList = 0;
            header->NextPartial = 0;
        }

        private static void InitializeClasses()
        {
            // Strides in bytes (header word included): 8-byte steps at first, then about 25% apart.
            uint stride = 16;
            for (int cls = 0; cls < ClassCount; cls++)
            {
                s_strides[cls] = stride;
                stride = stride < 64 ? stride + 8 : stride < 128 ? stride + 16 : stride < 256 ? stride + 32
                    : stride < 512 ? stride + 64 : stride < 1024 ? stride + 128 : stride < 2048 ? stride + 256
                    : stride < 4096 ? stride + 512 : stride < 8192 ? stride + 1024 : stride + 2048;
            }

            s_strides[ClassCount - 1] = MaxSmallBytes;
            int current = 0;
            for (int words = 0; words <= MaxSmallBytes / 8; words++)
            {
                while (s_strides[current] < (uint)(words * 8))
                {
                    current++;
                }

                s_classOfWords[words] = (byte)current;
            }
        }

        private static uint BlockOf(void* address) => (uint)(((byte*)address - s_start) >> BlockShift);

        private static byte* BlockAddress(uint block) => s_start + ((ulong)block << BlockShift);

        private static bool TestBit(ulong* bits, uint index) => (bits[index >> 6] & (1UL << (int)(index & 63))) != 0;

        private static void SetBit(ulong* bits, uint index, bool value)
        {
            if (value)
            {
                bits[index >> 6] |= 1UL << (int)(index & 63);
            }
            else
            {
                bits[index >> 6] &= ~(1UL << (int)(index & 63));
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct SmallBlock
        {
            public uint Stride;
            public uint SlotCount;
            public uint FreeCount;
            public uint ClassIndex;
            public ulong Reserved0;
            public uint NextPartial;
            public uint InPartialList;
            public uint Space;
            public uint SearchWord;                 // no free slot in the bitmap words before this one
            public ulong StrideReciprocal;          // ceil(2^32 / Stride): slot = (offset * it) >> 32, exact below 64 KiB
            public ulong Reserved2, Reserved3;
            public fixed ulong Allocated[BitmapBytes / 8];
            public fixed ulong Marked[BitmapBytes / 8];
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct LargeHeader
        {
            public ulong Marked;
            public ulong Size;
        }
    }
}
