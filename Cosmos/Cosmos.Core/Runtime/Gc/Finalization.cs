using System.Runtime;
using System.Runtime.CompilerServices;
using System.Threading;
using Cosmos.Core.Memory;
using Cosmos.Core.Threading;

namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// Finalizers. An object of a type with a finalizer is registered as it is allocated
    /// (RhpNewFinalizable). When a collection finds a registered object unreachable, it moves it to the
    /// ready queue and marks it (and what it reaches) live again, after clearing short weak handles and
    /// before clearing long ones, as the CLR does; the class library's finalizer thread
    /// (ProcessFinalizers, started here on a kernel thread) takes objects from the queue, runs their
    /// finalizers, and the next collection frees them. GC.SuppressFinalize sets the header bit the CLR
    /// uses for it (BIT_SBLK_FINALIZER_RUN), which the collection honours.
    /// The registered array and the ready ring share one capacity, kept at least as large as both
    /// counts together, so that a collection moves objects between them without allocating.
    /// </summary>
    public static unsafe class Finalization
    {
        private const int FinalizerRunBit = 0x40000000;
        private const int InitialCapacity = 256;

        private static nint* s_registered;
        private static int s_registeredCount;
        private static nint* s_ready;
        private static int s_readyHead;
        private static int s_readyCount;
        private static int s_capacity;
        // Made with the finalizer thread, not by a static initialiser: a type initialiser run on first use
        // could allocate in the middle of a collection.
        private static KernelEvent? s_request;
        private static KernelThread? s_finalizerThread;
        // Collections that queued objects, counted; the count when the finalizer thread's current drain began; and that of
        // the last drain that ended. A drain that began after request N has finalized everything N queued.
        private static int s_runsRequested;
        private static int s_drainCovers;
        private static int s_runsCompleted;
        private static ulong s_finalized;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("cosmos_finalizer_entry_address")]
        private static extern ulong FinalizerEntryAddress();

        /// <summary>Objects waiting for their finalizer to run.</summary>
        public static int PendingCount => s_readyCount;

        /// <summary>Objects with a finalizer still reachable (registered).</summary>
        public static int RegisteredCount => s_registeredCount;

        /// <summary>Entries the registered table and the ready queue each have room for (they grow and shrink together).</summary>
        public static int TableCapacity => s_capacity;

        /// <summary>Finalizers run so far.</summary>
        public static ulong FinalizedCount => s_finalized;

        /// <summary>Starts the class library's finalizer thread, when the kernel has finalizable types at all.</summary>
        public static void StartFinalizerThread()
        {
            ulong entry = FinalizerEntryAddress();
            if (entry != 0 && s_finalizerThread == null && Scheduler.IsRunning)
            {
                s_request = new KernelEvent();
                s_finalizerThread = Scheduler.CreateThread((delegate* unmanaged<nint, nint>)entry, 0, 0, "finalizer");
            }
        }

        /// <summary>Registers a new object whose type has a finalizer.</summary>
        public static void Register(object value)
        {
            while (true)
            {
                ulong flags = Native.SaveFlagsAndDisableInterrupts();
                if (s_registeredCount + s_readyCount < s_capacity)
                {
                    s_registered[s_registeredCount++] = Allocation.ObjectAddress(value);
                    Native.RestoreFlags(flags);
                    return;
                }

                Native.RestoreFlags(flags);
                Grow();
            }
        }

        private static void Grow() => Resize(s_capacity == 0 ? InitialCapacity : s_capacity * 2, growing: true);

        /// <summary>
        /// After the finalizer thread has drained the queue: tables a burst grew (a collection runs only when the heap is
        /// full, so thousands of finalizable objects can be registered between two) shrink back once a quarter or less
        /// is in use, to twice what is.
        /// </summary>
        private static void Trim()
        {
            int used = s_registeredCount + s_readyCount;
            if (s_capacity <= InitialCapacity || used * 4 > s_capacity)
            {
                return;
            }

            int capacity = InitialCapacity;
            while (capacity < used * 2)
            {
                capacity *= 2;
            }

            Resize(capacity, growing: false);
        }

        // New tables of `capacity`, filled with interrupts off. Another thread may have grown the tables (or
        // registered more than a smaller table holds) while these were allocated: then they are given back unused.
        private static void Resize(int capacity, bool growing)
        {
            nint* registered = (nint*)EarlyHeap.Allocate((ulong)capacity * (ulong)sizeof(nint));
            nint* ready = (nint*)EarlyHeap.Allocate((ulong)capacity * (ulong)sizeof(nint));
            if (registered == null || ready == null)
            {
                EarlyHeap.Free(registered);
                EarlyHeap.Free(ready);
                if (growing)
                {
                    throw new System.OutOfMemoryException();
                }

                return;
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            nint* oldRegistered = s_registered, oldReady = s_ready;
            bool wanted = growing ? capacity > s_capacity : capacity < s_capacity && s_registeredCount + s_readyCount <= capacity / 2;
            if (!wanted)
            {
                Native.RestoreFlags(flags);
                EarlyHeap.Free(registered);
                EarlyHeap.Free(ready);
                return;
            }

            for (int i = 0; i < s_registeredCount; i++)
            {
                registered[i] = oldRegistered[i];
            }

            for (int i = 0; i < s_readyCount; i++)
            {
                ready[i] = oldReady[(s_readyHead + i) % s_capacity];
            }

            int oldCapacity = s_capacity;
            s_registered = registered;
            s_ready = ready;
            s_readyHead = 0;
            s_capacity = capacity;
            Native.RestoreFlags(flags);
            // The first tables come from the early region, which outlives them and which the collector scans for
            // references: what they listed would be kept alive for ever.
            new System.Span<nint>(oldRegistered, oldCapacity).Clear();
            new System.Span<nint>(oldReady, oldCapacity).Clear();
            EarlyHeap.Free(oldRegistered);
            EarlyHeap.Free(oldReady);
        }

        /// <summary>
        /// True when <paramref name="address"/> lies in the registered or ready table. The first tables are made in the early
        /// region, whose words the collector takes as references: these two it must skip, or every object registered for
        /// finalization would look reachable and never be finalized.
        /// </summary>
        internal static bool IsInTables(void* address) =>
            (address >= s_registered && address < s_registered + s_capacity) || (address >= s_ready && address < s_ready + s_capacity);

        /// <summary>The collector marks the objects waiting for their finalizer: they are alive until it has run.</summary>
        internal static void MarkReady(delegate*<nint, void> mark)
        {
            for (int i = 0; i < s_readyCount; i++)
            {
                mark(s_ready[(s_readyHead + i) % s_capacity]);
            }
        }

        /// <summary>
        /// After marking: every registered object left unmarked goes to the ready queue and is marked
        /// (<paramref name="mark"/>), unless its finalizer was suppressed. True when any was queued.
        /// </summary>
        internal static bool QueueUnreachable(delegate*<nint, void> mark)
        {
            bool queued = false;
            int i = 0;
            while (i < s_registeredCount)
            {
                nint value = s_registered[i];
                if (GcHeap.IsMarked(value))
                {
                    i++;
                    continue;
                }

                s_registered[i] = s_registered[--s_registeredCount];
                if ((*Header(value) & FinalizerRunBit) != 0)
                {
                    continue;       // suppressed: it dies without its finalizer
                }

                s_ready[(s_readyHead + s_readyCount) % s_capacity] = value;
                s_readyCount++;
                mark(value);
                queued = true;
            }

            if (queued)
            {
                s_runsRequested++;
                s_request?.Set();
            }

            return queued;
        }

        private static int* Header(nint objectAddress) => (int*)(objectAddress - sizeof(int));

        [RuntimeExport("RhpGetNextFinalizableObject")]
        private static object? NextFinalizableObject()
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            object? next = null;
            if (s_readyCount > 0)
            {
                nint value = s_ready[s_readyHead];
                s_readyHead = (s_readyHead + 1) % s_capacity;
                s_readyCount--;
                s_finalized++;
                next = Unsafe.As<nint, object>(ref value);
            }

            Native.RestoreFlags(flags);
            return next;
        }

        /// <summary>The finalizer thread waits here until a collection queued objects.</summary>
        [RuntimeExport("RhpWaitForFinalizerRequest")]
        private static void WaitForFinalizerRequest()
        {
            if (Volatile.Read(ref s_readyCount) == 0)
            {
                s_request!.Wait(ulong.MaxValue);     // the finalizer thread runs only once StartFinalizerThread made it
            }

            s_drainCovers = Volatile.Read(ref s_runsRequested);
        }

        [RuntimeExport("RhpSignalFinalizationComplete")]
        private static void SignalFinalizationComplete(uint finalizedCount, int observedFullGcCount)
        {
            Trim();
            // Not a count of drains: a wake-up left over from a request an earlier drain already served makes an empty
            // drain, and counting it let WaitForPendingFinalizers return while the last object's finalizer still ran.
            Volatile.Write(ref s_runsCompleted, s_drainCovers);
        }

        /// <summary>
        /// GC.WaitForPendingFinalizers: returns once a drain that began after the last request (collection that queued
        /// objects) has ended, so every finalizer of what was queued when it was called has run.
        /// </summary>
        [RuntimeExport("RhWaitForPendingFinalizers")]
        private static void WaitForPendingFinalizers(int allowReentrantWait)
        {
            if (s_finalizerThread == null || Scheduler.Current == s_finalizerThread)
            {
                return;
            }

            int target = Volatile.Read(ref s_runsRequested);
            while (Volatile.Read(ref s_runsCompleted) < target || s_readyCount > 0)
            {
                Scheduler.SleepUntil(Tsc.Nanoseconds + 1_000_000);
            }
        }

        [RuntimeExport("RhSuppressFinalize")]
        private static void SuppressFinalize(object value)
        {
            int* header = Header(Allocation.ObjectAddress(value));
            int seen = *header;
            while ((seen & FinalizerRunBit) == 0)
            {
                int previous = Interlocked.CompareExchange(ref *header, seen | FinalizerRunBit, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }

        [RuntimeExport("RhReRegisterForFinalize")]
        private static bool ReRegisterForFinalize(object value)
        {
            nint address = Allocation.ObjectAddress(value);
            int* header = Header(address);
            int seen = *header;
            while ((seen & FinalizerRunBit) != 0)
            {
                int previous = Interlocked.CompareExchange(ref *header, seen & ~FinalizerRunBit, seen);
                if (previous == seen)
                {
                    break;
                }

                seen = previous;
            }

            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            bool registered = false;
            for (int i = 0; i < s_registeredCount && !registered; i++)
            {
                registered = s_registered[i] == address;
            }

            Native.RestoreFlags(flags);
            if (!registered)
            {
                Register(value);    // its finalizer ran (or it was queued): it gets another
            }

            return true;
        }
    }
}
