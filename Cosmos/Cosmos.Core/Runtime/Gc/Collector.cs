using System.Runtime.CompilerServices;
using Cosmos.Core.Memory;

namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// A non-moving mark-sweep collector over <see cref="GcHeap"/>. Roots: GC handles (strong and pinned;
    /// weak ones are cleared, dependent ones keep their secondary while the primary lives), the frozen
    /// objects ILC preinitialised (fields of which may be changed to point at heap objects), the early
    /// region where module initialisation put the static bases (word by word, but for the GC handle blocks and the
    /// finalization tables made there), and every thread's stack, precisely: every
    /// live slot ILC's GCInfo names in every frame (<see cref="StackRoots"/>; a thread the timer stopped
    /// between safe points has that one frame scanned conservatively). It runs when an allocation
    /// finds no memory or when asked (GC.Collect), never inside an interrupt handler, with interrupts off,
    /// and allocates nothing while it runs.
    /// </summary>
    public static unsafe class Collector
    {
        private const uint HasPointersFlag = 0x01000000;
        private const int MarkStackEntries = 64 * 1024;
        private const int MaxFrozenSegments = 32;
        private const int RangeChunkWords = 256;
        private const int RangeStackEntries = 256;

        private static nint* s_markStack;
        private static int s_markDepth;
        private static bool s_markOverflowed;
        private static PendingRange* s_ranges;
        private static int s_rangeDepth;
        private static bool s_dependentChanged;
        private static bool s_collecting;
        private static int s_collections;
        private static ulong s_lastFreedBytes;
        private static ulong s_lastLiveBytes;
        private static ulong s_lastPauseNanoseconds;
        private static ulong s_totalPauseNanoseconds;
        private static FrozenSegments s_frozen;

        /// <summary>Collections so far.</summary>
        public static int CollectionCount => s_collections;

        /// <summary>Bytes the last collection freed.</summary>
        public static ulong LastFreedBytes => s_lastFreedBytes;

        /// <summary>Managed bytes alive after the last collection.</summary>
        public static ulong LastLiveBytes => s_lastLiveBytes;

        /// <summary>How long the last collection took.</summary>
        public static ulong LastPauseNanoseconds => s_lastPauseNanoseconds;

        /// <summary>All collections' pauses added up.</summary>
        public static ulong TotalPauseNanoseconds => s_totalPauseNanoseconds;

        /// <summary>True where a collection may run now: the heap is up, no collection is running and no interrupt handler.</summary>
        public static bool CanCollect => GcHeap.IsInitialized && !s_collecting && Interrupts.Depth == 0;

        /// <summary>
        /// Records a frozen-object segment (RhRegisterFrozenSegment, the frozen-object chunks): its objects, from
        /// <paramref name="start"/> + 8 up to the first null MethodTable within <paramref name="bytes"/>, are scanned as
        /// roots. False when the table of segments is full.
        /// </summary>
        public static bool RegisterFrozenSegment(byte* start, ulong bytes)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            bool registered = s_frozen.Count < MaxFrozenSegments;
            if (registered)
            {
                s_frozen.Starts[s_frozen.Count] = (ulong)start;
                s_frozen.Sizes[s_frozen.Count] = bytes;
                s_frozen.Count++;
            }

            Native.RestoreFlags(flags);
            return registered;
        }

        /// <summary>
        /// Takes the mark stacks from the heap while it has room: a collection usually starts because the heap is
        /// full, and without its stacks every object it marks would overflow into a rescan of the whole heap.
        /// </summary>
        internal static void ReserveMarkStacks()
        {
            if (s_markStack == null)
            {
                s_markStack = (nint*)GcHeap.AllocateNative((ulong)MarkStackEntries * (ulong)sizeof(nint));
            }

            if (s_ranges == null)
            {
                s_ranges = (PendingRange*)GcHeap.AllocateNative((ulong)RangeStackEntries * (ulong)sizeof(PendingRange));
            }
        }

        /// <summary>Collects now if it may (<see cref="CanCollect"/>); false when it could not.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static bool Collect()
        {
            if (!CanCollect)
            {
                return false;
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            s_collecting = true;
            ulong started = Tsc.Nanoseconds;
            ReserveMarkStacks();
            GcHeap.ReturnWindows();
            s_markDepth = 0;
            s_rangeDepth = 0;
            s_markOverflowed = false;
            MarkRoots();
            Drain();
            MarkDependentSecondaries();
            // Short weak handles let go before finalization brings objects back; long ones after (as in the CLR).
            Handles.ForEach(&ClearDeadShortWeakHandle);
            if (Finalization.QueueUnreachable(&MarkObject))
            {
                Drain();
                MarkDependentSecondaries();
            }

            Handles.ForEach(&ClearDeadWeakHandle);
            s_lastFreedBytes = GcHeap.Sweep();
            s_lastLiveBytes = GcHeap.ManagedBytes;
            s_collections++;
            s_lastPauseNanoseconds = Tsc.Nanoseconds - started;
            s_totalPauseNanoseconds += s_lastPauseNanoseconds;
            s_collecting = false;
            Native.RestoreFlags(flags);
            return true;
        }

        private static void MarkRoots()
        {
            Handles.ForEach(&MarkStrongHandle);
            Finalization.MarkReady(&MarkObject);
            ScanFrozenSegments();
            ScanEarlyRegion();
            StackRoots.EnumerateCurrentThread(&MarkStackSlot);
            Threading.Scheduler.ForEachThread(&MarkSuspendedThread);
        }

        // Every other thread is off the CPU (interrupts are off for the whole collection), stopped in the switch.
        private static void MarkSuspendedThread(Threading.KernelThread thread)
        {
            if (thread == Threading.Scheduler.Current || thread.State == Threading.KernelThreadState.Starting)
            {
                return;     // the running thread was walked above; a thread that never ran has no frames
            }

            StackRoots.EnumerateSuspendedThread((EH.LimitedContext*)thread.Context, thread.RuntimeBlock, thread.PreemptedFrame, thread.StackHigh, &MarkStackSlot);
        }

        // A live stack slot or saved register: an object reference, or an interior pointer (a ref local).
        private static void MarkStackSlot(nint* slot, GcSlotFlags flags)
        {
            nint value = *slot;
            if (value != 0 && GcHeap.InHeap((void*)value))
            {
                MarkValue(value, (flags & GcSlotFlags.Interior) != 0);
            }
        }

        // The used part of the early region, word by word: every word that points into the heap marks that object (the
        // static bases live here). The GC handle blocks and the finalization tables made here before the heap was up are
        // skipped: their words are handles and registrations, which keep nothing alive by themselves.
        private static void ScanEarlyRegion()
        {
            byte* start = EarlyHeap.RegionStart, end = EarlyHeap.RegionUsedEnd;
            if (start == null || end <= start)
            {
                return;
            }

            for (nint* word = (nint*)(((ulong)start + 7) & ~7UL); word < (nint*)end; word++)
            {
                nint value = *word;
                if (GcHeap.InHeap((void*)value) && !Handles.IsInHandleBlock(word) && !Finalization.IsInTables(word))
                {
                    MarkValue(value, interior: false);
                }
            }
        }

        // Every object in each frozen segment: the first at start + 8 (after its header word), then one after another.
        private static void ScanFrozenSegments()
        {
            for (int i = 0; i < s_frozen.Count; i++)
            {
                byte* at = (byte*)s_frozen.Starts[i] + sizeof(nint);
                byte* end = (byte*)s_frozen.Starts[i] + s_frozen.Sizes[i];
                while (at + sizeof(nint) <= end)
                {
                    MethodTable* type = *(MethodTable**)at;
                    if (type == null)
                    {
                        break;      // the unused tail of the segment
                    }

                    ulong size = ObjectSize((nint)at);
                    ScanObject((nint)at);
                    at += (size + 7) & ~7UL;
                }
            }
        }

        private static void MarkStrongHandle(nint* slot, int type)
        {
            if (type != Handles.Weak && type != Handles.WeakTrackResurrection && type != Handles.Dependent)
            {
                MarkValue(slot[0], interior: false);
            }
        }

        // A dependent handle keeps its secondary alive while its primary is alive; marking a secondary can make
        // another handle's primary alive, so this runs until nothing changes.
        private static void MarkDependentSecondaries()
        {
            bool changed = true;
            while (changed)
            {
                s_dependentChanged = false;
                Handles.ForEach(&MarkDependentSecondary);
                Drain();
                changed = s_dependentChanged;
            }
        }

        private static void MarkDependentSecondary(nint* slot, int type)
        {
            if (type == Handles.Dependent && slot[0] != 0 && slot[1] != 0 && GcHeap.IsMarked(slot[0]) && !GcHeap.IsMarked(slot[1]))
            {
                MarkValue(slot[1], interior: false);
                s_dependentChanged = true;
            }
        }

        private static void MarkObject(nint objectAddress) => MarkValue(objectAddress, interior: false);

        private static void ClearDeadShortWeakHandle(nint* slot, int type)
        {
            if (type == Handles.Weak && slot[0] != 0 && !GcHeap.IsMarked(slot[0]))
            {
                slot[0] = 0;
            }
        }

        private static void ClearDeadWeakHandle(nint* slot, int type)
        {
            if (slot[0] == 0)
            {
                return;
            }

            if ((type == Handles.Weak || type == Handles.WeakTrackResurrection) && !GcHeap.IsMarked(slot[0]))
            {
                slot[0] = 0;
            }
            else if (type == Handles.Dependent && !GcHeap.IsMarked(slot[0]))
            {
                slot[0] = 0;
                slot[1] = 0;
            }
        }

        private static void MarkValue(nint value, bool interior)
        {
            nint target = GcHeap.FindObject(value, interior);
            if (target != 0 && GcHeap.TryMark(target))
            {
                Push(target);
            }
        }

        private static void Push(nint objectAddress)
        {
            if (s_markStack != null && s_markDepth < MarkStackEntries)
            {
                s_markStack[s_markDepth++] = objectAddress;
            }
            else
            {
                s_markOverflowed = true;     // marked but not scanned: found again by the rescan below
            }
        }

        // A long run of references (an array of a million objects) is scanned a chunk at a time: the rest
        // waits as a range, so the mark stack holds at most a chunk's children per range instead of them all.
        private static void ScanRange(nint* field, nint* stop)
        {
            if (stop - field > RangeChunkWords && s_ranges != null && s_rangeDepth < RangeStackEntries)
            {
                s_ranges[s_rangeDepth].Next = field + RangeChunkWords;
                s_ranges[s_rangeDepth].Stop = stop;
                s_rangeDepth++;
                stop = field + RangeChunkWords;
            }

            for (; field < stop; field++)
            {
                MarkField(*field);
            }
        }

        private static void Drain()
        {
            while (true)
            {
                while (s_markDepth > 0 || s_rangeDepth > 0)
                {
                    if (s_markDepth > 0)
                    {
                        ScanObject(s_markStack[--s_markDepth]);
                        continue;
                    }

                    PendingRange range = s_ranges[--s_rangeDepth];
                    ScanRange(range.Next, range.Stop);
                }

                if (!s_markOverflowed)
                {
                    return;
                }

                // Scanning an object twice is harmless; its unmarked children are what the overflow lost.
                s_markOverflowed = false;
                GcHeap.ForEachMarked(&ScanObject);
            }
        }

        /// <summary>Bytes of the object at <paramref name="objectAddress"/>, header word included.</summary>
        internal static ulong ObjectSize(nint objectAddress)
        {
            MethodTable* type = *(MethodTable**)objectAddress;
            ulong size = type->BaseSize;
            if (type->HasComponentSize)
            {
                size += (ulong)type->ComponentSize * (uint)*(int*)(objectAddress + sizeof(nint));
            }

            return size;
        }

        // The reference fields of an object, as the GCDesc before its MethodTable lists them: a count of series
        // at MethodTable[-1]; positive, series of {size - object size, offset} going down from MethodTable[-3];
        // negative, one offset and -count {pointers, skip} pairs repeated over an array of structs.
        private static void ScanObject(nint objectAddress)
        {
            MethodTable* type = *(MethodTable**)objectAddress;
            if ((type->Flags & HasPointersFlag) == 0)
            {
                return;
            }

            ulong size = ObjectSize(objectAddress);
            nint* descriptor = (nint*)type;
            nint seriesCount = descriptor[-1];
            if (seriesCount > 0)
            {
                for (nint i = 0; i < seriesCount; i++)
                {
                    nint* series = descriptor - 3 - (2 * i);
                    nint* field = (nint*)(objectAddress + series[1]);
                    nint* stop = (nint*)((byte*)field + series[0] + (nint)size);
                    ScanRange(field, stop);
                }

                return;
            }

            nint* highest = descriptor - 3;
            byte* cursor = (byte*)objectAddress + highest[1];
            byte* end = (byte*)objectAddress + size - sizeof(nint);
            while (cursor < end)
            {
                for (nint i = 0; i > seriesCount; i--)
                {
                    uint* item = (uint*)((byte*)highest + (i * 8));
                    nint* field = (nint*)cursor;
                    for (uint n = 0; n < item[0]; n++)
                    {
                        MarkField(field[n]);
                    }

                    cursor += (item[0] * (uint)sizeof(nint)) + item[1];
                }
            }
        }

        private static void MarkField(nint value)
        {
            if (GcHeap.TryMarkReference(value))
            {
                Push(value);
            }
        }

        private struct PendingRange
        {
            public nint* Next;
            public nint* Stop;
        }

        private struct FrozenSegments
        {
            public fixed ulong Starts[MaxFrozenSegments];
            public fixed ulong Sizes[MaxFrozenSegments];
            public int Count;
        }
    }
}
