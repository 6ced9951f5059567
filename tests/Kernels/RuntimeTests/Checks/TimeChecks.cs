using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Cosmos.Core;
using Cosmos.Core.Boot;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// Time: the local APIC timer ticks at its calibrated rate, Stopwatch and Environment.TickCount64
    /// are one monotonic clock, Thread.Sleep and timed waits halt the CPU until their deadline, and
    /// DateTime.UtcNow (the CMOS clock) agrees with the host's clock, which RuntimeTestsKernel
    /// passes as <c>hosttime=&lt;unix seconds&gt;</c> just before QEMU starts.
    /// </summary>
    internal static class TimeChecks
    {
        private const long NanosecondsPerMillisecond = 1_000_000;

        public static void Register(TestRunner tests)
        {
            tests.Add("time.timer-ticks-at-the-calibrated-rate", TimerTicksAtTheCalibratedRate);
            tests.Add("time.tick-handlers-run-on-every-tick", TickHandlersRunOnEveryTick);
            tests.Add("time.stopwatch-measures-pit-time", StopwatchMeasuresPitTime);
            tests.Add("time.stopwatch-and-tickcount64-are-one-monotonic-clock", StopwatchAndTickCountAreOneClock);
            tests.Add("time.thread-sleep-halts-until-its-deadline", ThreadSleepHaltsUntilItsDeadline);
            tests.Add("time.timed-waits-halt-and-time-out", TimedWaitsHaltAndTimeOut);
            tests.Add("time.utc-now-matches-the-host-clock", UtcNowMatchesTheHostClock);
            tests.Add("time.wall-clock-follows-the-rtc", WallClockFollowsTheRtc);
            tests.Add("time.local-time-is-utc", LocalTimeIsUtc);
        }

        private static void TimerTicksAtTheCalibratedRate()
        {
            Assert.True(SystemTimer.IsRunning, "the system timer was started at boot");
            ulong period = SystemTimer.PeriodNanoseconds;
            Assert.Near(1_000_000, period, 10_000, $"tick period in ns (LAPIC timer calibrated at {SystemTimer.ApicTimerHz} Hz)");

            // Interrupts counted while the CPU idles (halted) through 250 ms of TSC time. A host that
            // starves the emulator loses ticks (QEMU merges a tick into one still pending) but never
            // adds any, so one good window of five shows the timer's own rate.
            string attempts = "";
            for (int attempt = 0; attempt < 5; attempt++)
            {
                ulong startTicks = SystemTimer.Ticks;
                ulong start = Tsc.Nanoseconds;
                SystemTimer.SleepUntil(start + (250 * NanosecondsPerMillisecond));
                ulong elapsed = Tsc.Nanoseconds - start;
                ulong ticks = SystemTimer.Ticks - startTicks;
                double expected = (double)elapsed / period;
                if (Math.Abs(ticks - expected) <= expected * 0.05)
                {
                    return;
                }

                attempts += $" {ticks} in {elapsed / 1e6:F1} ms (expected {expected:F1});";
            }

            Assert.Fail($"timer interrupts were not within 5% of the calibrated rate in any of five windows:{attempts}");
        }

        /// <summary>
        /// The clock's rate against the PIT, measured apart from the boot's calibration: 50 ms
        /// counted by PIT channel 2 (1.193182 MHz, mode 0, OUT read through port 0x61) must last
        /// 50 ms on Stopwatch, within 0.5 %. Each end is bracketed by two Stopwatch reads (around
        /// the write that starts the count; around the polls either side of the terminal count);
        /// a run whose brackets a descheduled emulator stretched past 50 µs is repeated.
        /// </summary>
        private static void StopwatchMeasuresPitTime()
        {
            const ushort pitTicks = 59_659;              // 50 ms at 1.193182 MHz
            const double pitMilliseconds = pitTicks * 1000.0 / 1_193_182;
            string runs = "";
            for (int attempt = 0; attempt < 5; attempt++)
            {
                ulong flags = Native.SaveFlagsAndDisableInterrupts();
                byte control = Native.InB(0x61);
                Native.OutB(0x61, (byte)((control & 0xFC) | 0x01));     // gate channel 2 on, speaker off
                Native.OutB(0x43, 0xB0);                                // channel 2, low then high byte, mode 0
                Native.OutB(0x42, pitTicks & 0xFF);
                long startBefore = Stopwatch.GetTimestamp();
                Native.OutB(0x42, pitTicks >> 8);
                long startAfter = Stopwatch.GetTimestamp();
                long lastLow = startAfter, endAfter;
                while (true)
                {
                    long beforePoll = Stopwatch.GetTimestamp();
                    if ((Native.InB(0x61) & 0x20) != 0)
                    {
                        endAfter = Stopwatch.GetTimestamp();
                        break;
                    }

                    lastLow = beforePoll;
                }

                Native.RestoreFlags(flags);
                double measured = (((lastLow + endAfter) / 2) - ((startBefore + startAfter) / 2)) / (double)NanosecondsPerMillisecond;
                double uncertainty = ((endAfter - lastLow) + (startAfter - startBefore)) / (double)NanosecondsPerMillisecond;
                runs += $" {measured:F3} ms ±{uncertainty / 2:F3};";
                if (uncertainty <= 0.05)
                {
                    Assert.Near(pitMilliseconds, measured, pitMilliseconds * 0.005, $"{pitMilliseconds:F3} ms of PIT time on Stopwatch, in ms");
                    return;
                }
            }

            Assert.Fail($"no count of PIT time was bracketed within 50 µs in five runs (a host too busy to run the emulator?):{runs}");
        }

        private static int s_tickCalls;
        private static ulong s_firstTick, s_lastTick;
        private static bool s_ticksInOrder = true;
        private static int s_throwingCalls;

        private static void CountTick(ulong tick, ref InterruptFrame frame)
        {
            if (s_tickCalls++ == 0)
            {
                s_firstTick = tick;
            }
            else if (tick != s_lastTick + 1)
            {
                s_ticksInOrder = false;
            }

            s_lastTick = tick;
        }

        private static void ThrowOnTick(ulong tick, ref InterruptFrame frame)
        {
            s_throwingCalls++;
            throw new InvalidOperationException("tick handler failing on purpose");
        }

        private static void TickHandlersRunOnEveryTick()
        {
            TimerTickHandler counter = CountTick;
            TimerTickHandler thrower = ThrowOnTick;
            SystemTimer.AddTickHandler(thrower);
            // With interrupts off around adding and removing, no tick (and no switch to another thread) falls
            // between the handler's registration and the tick count read beside it.
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            SystemTimer.AddTickHandler(counter);
            ulong startTicks = SystemTimer.Ticks;
            Native.RestoreFlags(flags);
            SystemTimer.SleepUntil(Tsc.Nanoseconds + (20 * NanosecondsPerMillisecond));
            flags = Native.SaveFlagsAndDisableInterrupts();
            bool removed = SystemTimer.RemoveTickHandler(counter);
            ulong ticks = SystemTimer.Ticks - startTicks;
            int calls = Volatile.Read(ref s_tickCalls);
            Native.RestoreFlags(flags);
            Assert.True(removed, "the counting handler was still registered");
            SystemTimer.SleepUntil(Tsc.Nanoseconds + (5 * NanosecondsPerMillisecond));
            Assert.Equal(calls, Volatile.Read(ref s_tickCalls), "no calls after RemoveTickHandler");
            Assert.True(calls >= 1 && Math.Abs(calls - (long)ticks) <= 1, $"called on each tick: {calls} calls, {ticks} ticks");
            Assert.True(s_ticksInOrder, $"consecutive tick numbers, {s_firstTick} to {s_lastTick}");
            Assert.Equal(1, s_throwingCalls, "a handler that throws is called once, then dropped");
            Assert.False(SystemTimer.RemoveTickHandler(thrower), "the throwing handler was dropped");
            Assert.Throws<ArgumentNullException>(() => SystemTimer.AddTickHandler(null!), "AddTickHandler(null)");
        }

        private static void StopwatchAndTickCountAreOneClock()
        {
            long previousTimestamp = Stopwatch.GetTimestamp();
            long previousTickCount = Environment.TickCount64;
            for (int i = 0; i < 20_000; i++)
            {
                long timestamp = Stopwatch.GetTimestamp();
                long tickCount = Environment.TickCount64;
                if (timestamp < previousTimestamp || tickCount < previousTickCount)
                {
                    Assert.Fail($"the clock went backwards: Stopwatch {previousTimestamp} then {timestamp}, TickCount64 {previousTickCount} then {tickCount}");
                }

                previousTimestamp = timestamp;
                previousTickCount = tickCount;
            }

            // The same instant on both (TickCount64 is the timestamp in whole milliseconds), at the
            // start and the end of 200 ms: read between two Stopwatch reads, which a descheduled
            // emulator can only move apart.
            AssertTickCountBetweenTimestamps("at the start");
            long start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() - start < 200 * NanosecondsPerMillisecond)
            {
                Native.Pause();
            }

            AssertTickCountBetweenTimestamps("200 ms later");
        }

        private static void AssertTickCountBetweenTimestamps(string when)
        {
            long before = Stopwatch.GetTimestamp();
            long milliseconds = Environment.TickCount64;
            long after = Stopwatch.GetTimestamp();
            Assert.True(before / NanosecondsPerMillisecond <= milliseconds && milliseconds <= after / NanosecondsPerMillisecond,
                $"{when}, TickCount64 {milliseconds} lies between Stopwatch {before} and {after} ns");
        }

        private static void ThreadSleepHaltsUntilItsDeadline()
        {
            var before = HaltSample.Take();
            Thread.Sleep(100);
            var after = HaltSample.Take();
            after.AssertSleptHalted(before, 100, "Thread.Sleep(100)");
        }

        private static void TimedWaitsHaltAndTimeOut()
        {
            using var autoReset = new AutoResetEvent(false);
            var before = HaltSample.Take();
            Assert.False(autoReset.WaitOne(50), "AutoResetEvent.WaitOne(50) on an unset event");
            HaltSample.Take().AssertSleptHalted(before, 50, "AutoResetEvent.WaitOne(50)");

            object gate = new();
            lock (gate)
            {
                before = HaltSample.Take();
                Assert.False(Monitor.Wait(gate, 30), "Monitor.Wait(30) with nobody to pulse");
                HaltSample.Take().AssertSleptHalted(before, 30, "Monitor.Wait(30)");
            }

            using var semaphore = new SemaphoreSlim(0);
            before = HaltSample.Take();
            Assert.False(semaphore.Wait(30), "SemaphoreSlim.Wait(30) at count 0");
            HaltSample.Take().AssertSleptHalted(before, 30, "SemaphoreSlim.Wait(30)");

            using var manualReset = new ManualResetEventSlim(false);
            before = HaltSample.Take();
            Assert.False(manualReset.Wait(30), "ManualResetEventSlim.Wait(30) on an unset event");
            HaltSample.Take().AssertSleptHalted(before, 30, "ManualResetEventSlim.Wait(30)");
        }

        private static void UtcNowMatchesTheHostClock()
        {
            string? hostTime = KernelArguments.Get(BootInfo.Current.CommandLine, "hosttime");
            Assert.NotNull(hostTime, "hosttime=<unix seconds> on the kernel command line");
            long hostSeconds = long.Parse(hostTime!, CultureInfo.InvariantCulture);
            DateTime now = DateTime.UtcNow;
            Assert.True(RealTimeClock.IsValid, "the CMOS clock read as a plausible date");
            Assert.Equal(DateTimeKind.Utc, now.Kind, "UtcNow's Kind");

            // QEMU started just after the host read its clock; the kernel has run for TickCount64 since.
            DateTime hostNow = DateTime.UnixEpoch.AddSeconds(hostSeconds).AddMilliseconds(Environment.TickCount64);
            double offset = (now - hostNow).TotalSeconds;
            Assert.Near(0, offset, 10, $"UtcNow {now:O} against the host's clock {hostNow:O}, in seconds");
        }

        private static void WallClockFollowsTheRtc()
        {
            var rtc = RealTimeClock.Read();
            DateTime now = DateTime.UtcNow;
            Assert.True(rtc.HasValue, "the CMOS clock reads as a date");
            var (year, month, day, hour, minute, second) = rtc!.Value;
            var fromRtc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
            // The RTC counts whole seconds; UtcNow is the RTC read once at first use plus the TSC since.
            Assert.Near(0, (now - fromRtc).TotalSeconds, 2, $"UtcNow {now:O} against the RTC's {fromRtc:O}, in seconds");
        }

        private static void LocalTimeIsUtc()
        {
            DateTime utcBefore = DateTime.UtcNow;
            DateTime local = DateTime.Now;
            DateTime utcAfter = DateTime.UtcNow;
            Assert.Equal(DateTimeKind.Local, local.Kind, "Now's Kind");
            Assert.True(utcBefore.Ticks <= local.Ticks && local.Ticks <= utcAfter.Ticks,
                $"Now {local:O} lies between two UtcNow reads {utcBefore:O} and {utcAfter:O} (no time zone offset)");
            Assert.Equal(TimeSpan.Zero, TimeZoneInfo.Local.GetUtcOffset(utcBefore), "the local zone's offset");
            Assert.Equal(TimeSpan.Zero, DateTimeOffset.Now.Offset, "DateTimeOffset.Now.Offset");
        }

        /// <summary>The clock and the timer's halt counters at one moment.</summary>
        private readonly record struct HaltSample(long Timestamp, ulong Ticks, ulong Halts, ulong HaltedNanoseconds)
        {
            public static HaltSample Take() =>
                new(Stopwatch.GetTimestamp(), SystemTimer.Ticks, SystemTimer.HaltCount, SystemTimer.HaltedNanoseconds);

            /// <summary>
            /// Fails unless the wait since <paramref name="before"/> lasted from its timeout to
            /// 200 ms more, and the CPU spent it halted: three quarters of the timeout inside
            /// <c>hlt</c> (a spinning wait: none), no more halts than interrupts to end them (the
            /// wait never looped without halting), and at least a quarter as many halts as ticks
            /// were due (a host that starves the emulator makes QEMU merge ticks).
            /// </summary>
            public void AssertSleptHalted(HaltSample before, int timeoutMilliseconds, string what)
            {
                double elapsedMs = (Timestamp - before.Timestamp) / (double)NanosecondsPerMillisecond;
                ulong halts = Halts - before.Halts;
                ulong ticks = Ticks - before.Ticks;
                double haltedMs = (HaltedNanoseconds - before.HaltedNanoseconds) / (double)NanosecondsPerMillisecond;
                string figures = $"{what}: {elapsedMs:F1} ms, {halts} halts, {ticks} ticks, {haltedMs:F1} ms halted";
                Assert.True(elapsedMs >= timeoutMilliseconds && elapsedMs < timeoutMilliseconds + 200, $"lasted from its timeout to 200 ms more; {figures}");
                Assert.True(haltedMs >= 0.75 * timeoutMilliseconds, $"spent three quarters of its timeout halted; {figures}");
                Assert.True(halts <= ticks + 5, $"every halt ended by an interrupt; {figures}");
                Assert.True(halts >= (ulong)Math.Max(1, timeoutMilliseconds * SystemTimer.FrequencyHz / 1000 / 4), $"woke on the ticks; {figures}");
            }
        }
    }
}
