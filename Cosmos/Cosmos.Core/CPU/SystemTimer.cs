using System;
using System.Threading;
using Cosmos.Core.InterruptControllers;
using Cosmos.Core.IO;

namespace Cosmos.Core
{
    /// <summary>
    /// Runs on every timer tick, in interrupt context with interrupts off: it must be short, must
    /// not wait, and should not allocate. <paramref name="frame"/> is the interrupted context (a
    /// preemptive scheduler switches threads by changing it).
    /// </summary>
    public delegate void TimerTickHandler(ulong tick, ref InterruptFrame frame);

    /// <summary>
    /// The kernel's clock interrupt: the local APIC timer, calibrated against the TSC (itself
    /// calibrated against the PIT), firing <see cref="FrequencyHz"/> times a second on
    /// <see cref="LocalApic.TimerVector"/>. Time is read from the TSC (<see cref="Tsc.Nanoseconds"/>),
    /// which is finer and never misses a tick; the timer's interrupt is what wakes halted waits
    /// (<see cref="SleepUntil"/>) and what runs per-tick callbacks (the scheduler's quantum).
    /// </summary>
    /// <remarks>
    /// Periodic rather than one-shot deadlines (tickless): a preemptive scheduler needs a regular
    /// tick anyway, periodic mode exists on every local APIC (TSC-deadline mode needs
    /// CPUID.01H:ECX[24], which QEMU's TCG CPUs do not offer), and a 1 ms period bounds how late a
    /// deadline is noticed. The cost is a thousand interrupts a second while idle. In a halt (C1)
    /// the local APIC timer keeps counting; deeper C-states, where it may stop (no ARAT), are never
    /// entered.
    /// </remarks>
    public static class SystemTimer
    {
        /// <summary>Timer interrupts per second.</summary>
        public const int FrequencyHz = 1000;

        private const ulong InterruptFlag = 1UL << 9;   // RFLAGS.IF
        private const int CalibrationMilliseconds = 10, CalibrationRuns = 3;

        private static readonly InterruptHandler s_onTick = OnTick;
        private static readonly TimerTickHandler s_failedTickHandler = (ulong tick, ref InterruptFrame frame) => { };
        private static TimerTickHandler[] s_tickHandlers = Array.Empty<TimerTickHandler>();
        private static ulong s_apicTimerHz;
        private static uint s_initialCount;
        private static bool s_running;
        private static ulong s_ticks;
        private static ulong s_haltCount;
        private static ulong s_haltedTscTicks;

        /// <summary>True while the timer interrupts.</summary>
        public static bool IsRunning => Volatile.Read(ref s_running);

        /// <summary>Timer interrupts taken since the timer first started.</summary>
        public static ulong Ticks => Volatile.Read(ref s_ticks);

        /// <summary>Monotonic nanoseconds since early boot (the TSC's clock, which Stopwatch also reads).</summary>
        public static ulong NowNanoseconds => Tsc.Nanoseconds;

        /// <summary>The rate the local APIC timer counts at (its input clock / <see cref="LocalApic.TimerDivisor"/>), as calibrated; 0 before.</summary>
        public static ulong ApicTimerHz => s_apicTimerHz;

        /// <summary>The tick period the timer was programmed with, in nanoseconds (1 ms up to the rounding of the count).</summary>
        public static ulong PeriodNanoseconds => s_apicTimerHz == 0 ? 0 : s_initialCount * 1_000_000_000UL / s_apicTimerHz;

        /// <summary>Halts taken by the waits here (<see cref="SleepUntil"/>, <see cref="Idle"/>, <see cref="HaltUntilInterruptOrDeadline"/>), each ended by an interrupt.</summary>
        public static ulong HaltCount => Volatile.Read(ref s_haltCount);

        /// <summary>
        /// Time those halts lasted: from each <c>hlt</c> until it returned, which includes the
        /// handler of the interrupt that woke it.
        /// </summary>
        public static ulong HaltedNanoseconds => Tsc.ToNanoseconds(Volatile.Read(ref s_haltedTscTicks));

        /// <summary>
        /// Calibrates the local APIC timer (first time only) and starts it periodic at
        /// <see cref="FrequencyHz"/>. Call with the local APIC enabled; boot does this before the
        /// kernel runs.
        /// </summary>
        /// <exception cref="InvalidOperationException">No local APIC, or its timer does not count.</exception>
        public static void Start()
        {
            if (!LocalApic.IsEnabled)
            {
                throw new InvalidOperationException("system timer: the local APIC is not enabled");
            }

            if (s_apicTimerHz == 0)
            {
                ulong hz = MeasureApicTimerHz();
                ulong count = (hz + (FrequencyHz / 2)) / FrequencyHz;
                if (count == 0 || count > uint.MaxValue)
                {
                    throw new InvalidOperationException($"system timer: a local APIC timer at {hz} Hz cannot tick at {FrequencyHz} Hz");
                }

                s_initialCount = (uint)count;
                s_apicTimerHz = hz;
            }

            Interrupts.SetHandler(LocalApic.TimerVector, s_onTick);
            LocalApic.StartPeriodicTimer(LocalApic.TimerVector, s_initialCount);
            Volatile.Write(ref s_running, true);
        }

        /// <summary>Stops the tick (timed waits then spin), e.g. to lend the local APIC timer to a test.</summary>
        public static void Stop()
        {
            Volatile.Write(ref s_running, false);
            LocalApic.StopTimer();
        }

        /// <summary>Adds <paramref name="handler"/> to the callbacks run on every tick.</summary>
        public static void AddTickHandler(TimerTickHandler handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                TimerTickHandler[] current = s_tickHandlers;
                var grown = new TimerTickHandler[current.Length + 1];
                current.CopyTo(grown, 0);
                grown[current.Length] = handler;
                s_tickHandlers = grown;
            }
            finally
            {
                Native.RestoreFlags(flags);
            }
        }

        /// <summary>Removes one registration of <paramref name="handler"/>; false if it was not registered.</summary>
        public static bool RemoveTickHandler(TimerTickHandler handler)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                TimerTickHandler[] current = s_tickHandlers;
                int index = Array.IndexOf(current, handler);
                if (index < 0)
                {
                    return false;
                }

                var shrunk = new TimerTickHandler[current.Length - 1];
                Array.Copy(current, 0, shrunk, 0, index);
                Array.Copy(current, index + 1, shrunk, index, current.Length - index - 1);
                s_tickHandlers = shrunk;
                return true;
            }
            finally
            {
                Native.RestoreFlags(flags);
            }
        }

        /// <summary>
        /// Returns once <see cref="NowNanoseconds"/> has reached <paramref name="deadlineNanoseconds"/>.
        /// With the timer running and interrupts on, the CPU halts in between (waking on every
        /// interrupt, so at most one tick late); otherwise, since nothing would wake a halt, it spins.
        /// </summary>
        public static void SleepUntil(ulong deadlineNanoseconds)
        {
            if ((Native.ReadFlags() & InterruptFlag) == 0 || !IsRunning)
            {
                while (Tsc.Nanoseconds < deadlineNanoseconds)
                {
                    Native.Pause();
                }

                return;
            }

            do
            {
                Native.DisableInterrupts();
            }
            while (HaltUntilInterruptOrDeadline(deadlineNanoseconds));
        }

        /// <summary>
        /// Waits for the next interrupt, for a loop that polls something (a port without an
        /// interrupt): halted when the timer runs and interrupts are on, so at most one tick;
        /// otherwise a <c>pause</c>.
        /// </summary>
        public static void Idle()
        {
            if ((Native.ReadFlags() & InterruptFlag) == 0 || !IsRunning)
            {
                Native.Pause();
                return;
            }

            Native.DisableInterrupts();
            HaltUntilInterruptOrDeadline(ulong.MaxValue);
        }

        /// <summary>
        /// One step of a halting wait with a deadline. Call with interrupts disabled (by you, in
        /// code that otherwise runs with them on), right after finding that what you wait for has
        /// not happened yet. Returns false, interrupts on, when the deadline has passed. Otherwise
        /// it halts with <c>sti; hlt</c> as one step, so an interrupt that arrived after your check
        /// still wakes it, until the next interrupt (the next tick at the latest) and returns true.
        /// Without a running timer nothing is sure to wake a halt, so it only pauses.
        /// </summary>
        public static bool HaltUntilInterruptOrDeadline(ulong deadlineNanoseconds)
        {
            if (Tsc.Nanoseconds >= deadlineNanoseconds)
            {
                Native.EnableInterrupts();
                return false;
            }

            if (!IsRunning)
            {
                Native.EnableInterrupts();
                Native.Pause();
                return true;
            }

            ulong before = Native.ReadTimestampCounter();
            Native.EnableInterruptsAndHalt();
            ulong after = Native.ReadTimestampCounter();
            s_haltCount++;
            s_haltedTscTicks += after - before;
            return true;
        }

        /// <summary>
        /// The timer's counting rate in Hz: a masked count-down read against the TSC over
        /// <see cref="CalibrationMilliseconds"/>, the median of <see cref="CalibrationRuns"/> runs
        /// (the first pays for code running for the first time; any may be stretched by a host
        /// that deschedules an emulator).
        /// </summary>
        private static ulong MeasureApicTimerHz()
        {
            ulong tscPerSecond = Tsc.TicksPerSecond;
            ulong window = tscPerSecond * CalibrationMilliseconds / 1000;
            Span<ulong> rates = stackalloc ulong[CalibrationRuns];
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            try
            {
                for (int run = 0; run < CalibrationRuns; run++)
                {
                    LocalApic.StartMaskedCountdown(uint.MaxValue);
                    uint countStart = SampleCount(out ulong tscStart);
                    while (Native.ReadTimestampCounter() - tscStart < window)
                    {
                    }

                    uint countEnd = SampleCount(out ulong tscEnd);
                    if (countEnd >= countStart)
                    {
                        throw new InvalidOperationException($"system timer: the local APIC timer did not count down in {CalibrationMilliseconds} ms (0x{countStart:x} then 0x{countEnd:x})");
                    }

                    rates[run] = (ulong)(countStart - countEnd) * tscPerSecond / (tscEnd - tscStart);
                }
            }
            finally
            {
                LocalApic.StopTimer();
                Native.RestoreFlags(flags);
            }

            rates.Sort();
            return rates[CalibrationRuns / 2];
        }

        /// <summary>
        /// The timer's count and the TSC at the moment it was read: the read is bracketed by two
        /// TSC reads and placed at their midpoint, and of a few tries the tightest bracket wins (a
        /// register read can be slow, e.g. when an emulator's device lock is contended).
        /// </summary>
        private static uint SampleCount(out ulong tsc)
        {
            uint bestCount = 0;
            ulong bestWidth = ulong.MaxValue;
            tsc = 0;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                ulong before = Native.ReadTimestampCounter();
                uint count = LocalApic.TimerCurrentCount;
                ulong after = Native.ReadTimestampCounter();
                if (after - before < bestWidth)
                {
                    bestWidth = after - before;
                    bestCount = count;
                    tsc = before + (bestWidth / 2);
                }
            }

            return bestCount;
        }

        private static void OnTick(ref InterruptFrame frame)
        {
            ulong tick = s_ticks + 1;
            Volatile.Write(ref s_ticks, tick);
            TimerTickHandler[] handlers = s_tickHandlers;
            for (int i = 0; i < handlers.Length; i++)
            {
                try
                {
                    handlers[i](tick, ref frame);
                }
                catch (Exception exception)
                {
                    // Once, not a thousand times a second: a failing callback is replaced in place
                    // (no allocation in interrupt context) by one that does nothing.
                    handlers[i] = s_failedTickHandler;
                    SerialPort.WriteAscii(SerialPort.Com1, "[timer] tick handler threw ");
                    SerialPort.WriteAscii(SerialPort.Com1, exception.GetType().FullName ?? "?");
                    SerialPort.WriteAscii(SerialPort.Com1, ": ");
                    SerialPort.WriteAscii(SerialPort.Com1, exception.Message);
                    SerialPort.WriteAscii(SerialPort.Com1, "; removed\n");
                }
            }
        }
    }
}
