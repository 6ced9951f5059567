using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosmos.Core;
using Cosmos.Core.InterruptControllers;
using Cosmos.Core.Memory;
using Cosmos.Core.Runtime.Gc;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// The precise stack roots the collector will use (Cosmos.Core StackRoots over ILC's GCInfo):
    /// objects held in locals, arguments and interior pointers across a call are reported at
    /// their exact values; so are those of 50 recursive frames, of a funclet's parent (catch,
    /// filter, finally on both paths), of a frame below an [UnmanagedCallersOnly] callback and of
    /// an interrupted context. Every walk is also checked whole: no slot twice, and every slot not
    /// flagged interior holds null or an object whose MethodTable lies in the kernel image.
    /// </summary>
    internal static unsafe class GcRootChecks
    {
        private const int Capacity = 8192;
        private const int RecursionDepth = 50;

        private static nint[] s_addresses = null!;
        private static nint[] s_values = null!;
        private static byte[] s_flags = null!;
        private static nint[] s_expected = null!;
        private static int s_count;
        private static bool s_overflowed;
        private static int s_contextOutcome;
        private static int s_sink;
        private static nint s_retargetFrom, s_retargetTo;
        private static int s_retargeted;

        public static void Register(TestRunner tests)
        {
            // Allocated here, never during a walk: the recorder only writes into these.
            s_addresses = new nint[Capacity];
            s_values = new nint[Capacity];
            s_flags = new byte[Capacity];
            s_expected = new nint[RecursionDepth];
            tests.Add("gc-roots.locals-argument-and-interior-pointer", LocalsArgumentAndInteriorPointer);
            tests.Add("gc-roots.fifty-recursive-frames", FiftyRecursiveFrames);
            tests.Add("gc-roots.parent-locals-from-catch-funclet", ParentLocalsFromCatchFunclet);
            tests.Add("gc-roots.parent-and-thrower-from-filter", ParentAndThrowerFromFilter);
            tests.Add("gc-roots.faulting-frame-from-filter", FaultingFrameFromFilter);
            tests.Add("gc-roots.nested-dispatch-inside-catch", NestedDispatchInsideCatch);
            tests.Add("gc-roots.finally-on-normal-path", FinallyOnNormalPath);
            tests.Add("gc-roots.finally-during-unwinding", FinallyDuringUnwinding);
            tests.Add("gc-roots.below-unmanaged-callers-only", BelowUnmanagedCallersOnly);
            tests.Add("gc-roots.updated-slots-reach-the-running-code", UpdatedSlotsReachTheRunningCode);
            tests.Add("gc-roots.interrupted-context", InterruptedContext);
            tests.Add("gc-roots.interrupted-context-declines-unsafe-points", InterruptedContextDeclinesUnsafePoints);
        }

        private sealed class Marker
        {
            public Marker(int id) => Id = id;

            public int Id { get; }
        }

        private static void LocalsArgumentAndInteriorPointer() => HoldThreeObjectsAndAnInteriorPointer(new Marker(100));

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void HoldThreeObjectsAndAnInteriorPointer(Marker argument)
        {
            var first = new Marker(1);
            var second = new Marker(2);
            var third = new Marker(3);
            ref int element = ref ElementOf(new int[8], 5);     // the array is reachable only through the ref
            Capture();
            element = 42;
            AssertWellFormedWalk();
            AssertReported(first, "first local");
            AssertReported(second, "second local");
            AssertReported(third, "third local");
            AssertReported(argument, "argument");
            AssertReportedInterior((nint)Unsafe.AsPointer(ref element), "ref to an array element");
            GC.KeepAlive(first);
            GC.KeepAlive(second);
            GC.KeepAlive(third);
            GC.KeepAlive(argument);
        }

        private static void FiftyRecursiveFrames()
        {
            Array.Clear(s_expected);
            Recurse(1);
            AssertWellFormedWalk();
            for (int depth = 1; depth <= RecursionDepth; depth++)
            {
                Assert.True(IsReported(s_expected[depth - 1], interior: false), $"the object of recursion frame {depth} of {RecursionDepth} was not reported");
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Recurse(int depth)
        {
            var marker = new Marker(depth);
            if (depth == RecursionDepth)
            {
                Capture();
            }
            else
            {
                Recurse(depth + 1);
            }

            s_expected[depth - 1] = AddressOf(marker);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ParentLocalsFromCatchFunclet()
        {
            var kept = new Marker(7);
            try
            {
                Throwers.Throw(new InvalidOperationException("to the catch"));
            }
            catch (InvalidOperationException)
            {
                Capture();
            }

            AssertWellFormedWalk();
            AssertReported(kept, "the parent's local, seen from its catch funclet");
            GC.KeepAlive(kept);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ParentAndThrowerFromFilter()
        {
            var kept = new Marker(8);
            var held = new Marker(9);
            try
            {
                ThrowWhileHolding(held);
            }
            catch (ArgumentOutOfRangeException) when (CaptureInFilter())
            {
            }

            AssertWellFormedWalk();
            AssertReported(kept, "the filter's parent's local");
            AssertReported(held, "the thrower's argument, live across the throwing call");
            GC.KeepAlive(kept);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowWhileHolding(Marker held)
        {
            Throwers.ThrowIfPositive(Opaque.Value(1));
            GC.KeepAlive(held);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool CaptureInFilter()
        {
            Capture();
            return true;
        }

        // A null dereference: the faulting frame is reached through RhpThrowHwEx and reported as
        // aborted (it will not resume), its parent at its call.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FaultingFrameFromFilter()
        {
            var kept = new Marker(16);
            try
            {
                ReadThroughNull(Opaque.Value<Marker?>(null), new Marker(17));
            }
            catch (NullReferenceException) when (CaptureInFilter())
            {
            }

            AssertWellFormedWalk();
            AssertReported(kept, "the local of the faulting frame's caller");
            GC.KeepAlive(kept);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ReadThroughNull(Marker? missing, Marker held)
        {
            int id = missing!.Id;
            GC.KeepAlive(held);
            return id;
        }

        // A second exception thrown and caught inside a catch funclet: two ExInfos, two funclets
        // of one method, both collapsed into the innermost funclet's report.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void NestedDispatchInsideCatch()
        {
            var kept = new Marker(18);
            try
            {
                Throwers.Throw(new InvalidOperationException("outer"));
            }
            catch (InvalidOperationException)
            {
                var inner = new Marker(19);
                try
                {
                    Throwers.Throw(new ArgumentException("inner"));
                }
                catch (ArgumentException)
                {
                    Capture();
                    s_expected[0] = AddressOf(inner);
                }
            }

            AssertWellFormedWalk();
            AssertReported(kept, "the method's local, seen from a catch inside a catch");
            Assert.True(IsReported(s_expected[0], interior: false), "the outer catch's local was not reported");
            GC.KeepAlive(kept);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FinallyOnNormalPath()
        {
            var kept = new Marker(10);
            try
            {
                Opaque.Value(0);
            }
            finally
            {
                // Too long for the JIT to clone into the main body: the funclet is called.
                Capture();
                s_sink += Opaque.Value(1);
                s_sink += Opaque.Value(2);
                s_sink += Opaque.Value(3);
                s_sink += Opaque.Value(4);
                s_sink += Opaque.Value(5);
                s_sink += Opaque.Value(6);
                s_sink += Opaque.Value(7);
                s_sink += Opaque.Value(8);
                s_sink += Opaque.Value(9);
                s_sink += Opaque.Value(10);
                s_sink += Opaque.Value(11);
                s_sink += Opaque.Value(12);
                s_sink += Opaque.Value(13);
                s_sink += Opaque.Value(14);
                s_sink += Opaque.Value(15);
                s_sink += Opaque.Value(16);
                s_sink += Opaque.Value(17);
                s_sink += Opaque.Value(18);
                s_sink += Opaque.Value(19);
                s_sink += Opaque.Value(20);
            }

            AssertWellFormedWalk();
            AssertReported(kept, "a local of the method whose finally runs");
            GC.KeepAlive(kept);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FinallyDuringUnwinding()
        {
            var kept = new Marker(11);
            try
            {
                ThrowThroughFinally();
            }
            catch (InvalidOperationException)
            {
            }

            AssertWellFormedWalk();
            AssertReported(kept, "a local of the frame that catches");
            Assert.True(IsReported(s_expected[0], interior: false), "the local the finally uses was not reported");
            GC.KeepAlive(kept);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowThroughFinally()
        {
            var used = new Marker(12);
            try
            {
                Throwers.Throw(new InvalidOperationException("through a finally"));
            }
            finally
            {
                Capture();
                s_expected[0] = AddressOf(used);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void BelowUnmanagedCallersOnly()
        {
            var kept = new Marker(13);
            delegate* unmanaged<void> callback = &CaptureFromNativeCallback;
            callback();
            AssertWellFormedWalk();
            AssertReported(kept, "a local of the frame that called the [UnmanagedCallersOnly] method");
            GC.KeepAlive(kept);
        }

        [UnmanagedCallersOnly]
        private static void CaptureFromNativeCallback() => Capture();

        // What a moving collector does: write a new address into the reported slots. The frame
        // holding the old object must then see the new one, wherever its reference lives.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UpdatedSlotsReachTheRunningCode()
        {
            var original = new Marker(20);
            var replacement = new Marker(21);
            s_retargetFrom = AddressOf(original);
            s_retargetTo = AddressOf(replacement);
            s_retargeted = 0;
            Marker seen = HoldAcrossRetargeting(original);
            Assert.True(s_retargeted > 0, "no reported slot held the object to move");
            Assert.Equal(21, seen.Id, "the marker the frame holds after its slots were rewritten");
            GC.KeepAlive(replacement);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Marker HoldAcrossRetargeting(Marker held)
        {
            Retarget();
            return held;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Retarget() => StackRoots.EnumerateCurrentThread(&RetargetSlot);

        private static void RetargetSlot(nint* slot, GcSlotFlags flags)
        {
            if (*slot == s_retargetFrom && (flags & GcSlotFlags.Interior) == 0)
            {
                *slot = s_retargetTo;
                s_retargeted++;
            }
        }

        private static void InterruptedContext()
        {
            Assert.True(LocalApic.IsEnabled, "the local APIC is not enabled: no self-interrupt to stop the code with");
            int vector = InterruptVectors.Allocate();
            Interrupts.SetHandler(vector, OnSelfInterrupt);
            try
            {
                InterruptedWhileHolding(new Marker(14), vector);
            }
            finally
            {
                Interrupts.SetHandler(vector, null);
            }
        }

        // With interrupts off the self-interrupt waits; `sti` delays it by one instruction, its
        // `ret`, so it stops this method exactly at the return address of the call: a safe point.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InterruptedWhileHolding(Marker argument, int vector)
        {
            var first = new Marker(15);
            s_contextOutcome = 0;
            Native.DisableInterrupts();
            LocalApic.SendSelfInterrupt(vector);
            Native.EnableInterrupts();
            Assert.Equal(1, s_contextOutcome, "EnumerateFromContext (1 = reported, 2 = declined, 0 = no interrupt)");
            AssertWellFormedWalk();
            AssertReported(first, "a local of the interrupted frame");
            AssertReported(argument, "an argument of the interrupted frame");
            GC.KeepAlive(first);
            GC.KeepAlive(argument);
        }

        private static void OnSelfInterrupt(ref InterruptFrame frame)
        {
            s_count = 0;
            s_overflowed = false;
            fixed (InterruptFrame* interrupted = &frame)
            {
                s_contextOutcome = StackRoots.EnumerateFromContext(interrupted, &Record) ? 1 : 2;
            }
        }

        private static void InterruptedContextDeclinesUnsafePoints()
        {
            var frame = default(InterruptFrame);
            frame.Rsp = (ulong)&frame;
            frame.Rip = PhysicalMemory.KernelStart;         // the boot code: assembly
            Assert.False(StackRoots.EnumerateFromContext(&frame, &Record), "a context stopped in assembly was enumerated");
            delegate*<void> method = &FiftyRecursiveFrames;
            frame.Rip = (ulong)method;                      // a method's first instruction: its prolog
            Assert.False(StackRoots.EnumerateFromContext(&frame, &Record), "a context stopped in a prolog was enumerated");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Capture()
        {
            s_count = 0;
            s_overflowed = false;
            StackRoots.EnumerateCurrentThread(&Record);
        }

        // Called for every slot during a walk: writes the preallocated arrays, nothing else.
        private static void Record(nint* slot, GcSlotFlags flags)
        {
            if (s_count == Capacity)
            {
                s_overflowed = true;
                return;
            }

            s_addresses[s_count] = (nint)slot;
            s_values[s_count] = *slot;
            s_flags[s_count] = (byte)flags;
            s_count++;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ref int ElementOf(int[] array, int index) => ref array[index];

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static nint AddressOf(object value) => *(nint*)Unsafe.AsPointer(ref value);

        private static void AssertReported(object value, string what) =>
            Assert.True(IsReported(AddressOf(value), interior: false), $"{what} (0x{AddressOf(value):x}) was not reported as an object among {s_count} slots");

        private static void AssertReportedInterior(nint value, string what) =>
            Assert.True(IsReported(value, interior: true), $"{what} (0x{value:x}) was not reported as an interior pointer among {s_count} slots");

        private static bool IsReported(nint value, bool interior)
        {
            for (int i = 0; i < s_count; i++)
            {
                bool isInterior = (s_flags[i] & (byte)GcSlotFlags.Interior) != 0;
                if (s_values[i] == value && isInterior == interior)
                {
                    return true;
                }
            }

            return false;
        }

        // The whole walk: something reported, no slot twice, every object slot null or an object.
        private static void AssertWellFormedWalk()
        {
            Assert.False(s_overflowed, $"more than {Capacity} slots were reported");
            Assert.True(s_count > 0, "the walk reported no slot at all");
            for (int i = 0; i < s_count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    // A filter's frame reports its parent's live locals pinned, and the parent reports
                    // them again (RyuJIT's contract since dotnet/coreclr#23044): pinned, they cannot move twice.
                    bool pinnedCopy = ((s_flags[i] | s_flags[j]) & (byte)GcSlotFlags.Pinned) != 0;
                    Assert.True(s_addresses[i] != s_addresses[j] || pinnedCopy,
                        $"slot 0x{s_addresses[i]:x} was reported twice (entries {j} and {i} of {s_count}), neither time pinned");
                }

                nint value = s_values[i];
                if ((s_flags[i] & (byte)GcSlotFlags.Interior) == 0 && value != 0)
                {
                    Assert.True(IsPlausibleObject(value, out nint methodTable),
                        $"slot 0x{s_addresses[i]:x} (entry {i} of {s_count}) holds 0x{value:x}, not an object (its first word 0x{methodTable:x} is no MethodTable in the kernel image)");
                }
            }
        }

        private static bool IsPlausibleObject(nint value, out nint methodTable)
        {
            methodTable = 0;
            ulong address = (ulong)value;
            if ((address & 7) != 0 || address < 0x1000 || address >= PhysicalMemory.IdentityMappedLimit)
            {
                return false;
            }

            methodTable = *(nint*)address;
            ulong mt = (ulong)methodTable;
            return (mt & 7) == 0 && mt >= PhysicalMemory.KernelStart && mt < PhysicalMemory.KernelEnd;
        }
    }
}
