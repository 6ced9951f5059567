namespace Cosmos.Core
{
    /// <summary>
    /// The time-stamp counter, calibrated once against PIT channel 2 (1.193182 MHz, gated through
    /// port 0x61, so no interrupt is needed). Gives monotonic nanoseconds since boot. The TSC is
    /// assumed to run at a constant rate (invariant TSC, CPUID.80000007H:EDX[8]; under QEMU's TCG
    /// it is the host's).
    /// </summary>
    public static class Tsc
    {
        private const uint PitFrequencyHz = 1193182;
        private const ushort CalibrationTicks = 11932;       // 10 ms of PIT time
        private const int MaxCalibrationRuns = 8;
        private const ushort PortChannel2 = 0x42, PortMode = 0x43, PortControlB = 0x61;
        private const byte Channel2Mode0LowHigh = 0xB0;     // channel 2, low then high byte, mode 0, binary
        private const byte Channel2Gate = 0x01, Channel2Out = 0x20;   // port 0x61 bits 0 and 5

        private static ulong s_ticksPerSecond;
        private static ulong s_bootTicks;

        /// <summary>TSC ticks per second (calibrated on first use).</summary>
        public static ulong TicksPerSecond
        {
            get
            {
                if (s_ticksPerSecond == 0)
                {
                    Calibrate();
                }

                return s_ticksPerSecond;
            }
        }

        /// <summary>Nanoseconds since calibration (i.e. since early boot).</summary>
        public static ulong Nanoseconds => ToNanoseconds(Native.ReadTimestampCounter() - s_bootTicks);

        /// <summary>A span of <paramref name="ticks"/> TSC ticks in nanoseconds (without overflow for any span).</summary>
        public static ulong ToNanoseconds(ulong ticks)
        {
            ulong perSecond = TicksPerSecond;
            ulong seconds = ticks / perSecond;
            ulong rest = ticks % perSecond;
            return (seconds * 1_000_000_000UL) + (rest * 1_000_000_000UL / perSecond);
        }

        /// <summary>
        /// Measures the TSC rate against 10 ms counts of PIT channel 2. Each end of a count is known
        /// only to within a bracket of TSC reads (<see cref="MeasureOnce"/>), which anything slow
        /// there widens: code running for the first time (an emulator translating it, cold caches),
        /// or a host descheduling the emulator; what happens between the ends does not matter. Runs
        /// repeat until both brackets together are within 0.05 % of the count, at most
        /// <see cref="MaxCalibrationRuns"/> times, and the tightest run is used.
        /// </summary>
        public static void Calibrate()
        {
            s_bootTicks = Native.ReadTimestampCounter();
            ulong bestTicks = 0, bestUncertainty = ulong.MaxValue;
            for (int run = 0; run < MaxCalibrationRuns; run++)
            {
                if (!MeasureOnce(out ulong ticks, out ulong uncertainty))
                {
                    break;
                }

                if (uncertainty < bestUncertainty)
                {
                    bestTicks = ticks;
                    bestUncertainty = uncertainty;
                }

                if (bestUncertainty <= bestTicks / 2000)
                {
                    break;
                }
            }

            ulong perSecond = bestTicks * PitFrequencyHz / CalibrationTicks;
            s_ticksPerSecond = perSecond > 1_000_000 ? perSecond : 1_000_000_000;  // a PIT that never fired: assume 1 GHz
        }

        /// <summary>
        /// TSC ticks in one count of <see cref="CalibrationTicks"/> by PIT channel 2, and how
        /// uncertain that is (the two brackets' widths added). False if it never reached terminal count.
        /// </summary>
        private static bool MeasureOnce(out ulong ticks, out ulong uncertainty)
        {
            // Gate channel 2 on, speaker off; mode 0 (OUT rises at terminal count), binary, low then
            // high byte. With GATE high, counting starts on the clock after the high byte is written
            // (8254 data sheet, mode 0): the start lies between the TSC reads either side of that write.
            byte control = Native.InB(PortControlB);
            Native.OutB(PortControlB, (byte)((control & 0xFC) | Channel2Gate));
            Native.OutB(PortMode, Channel2Mode0LowHigh);
            Native.OutB(PortChannel2, (byte)(CalibrationTicks & 0xFF));
            ulong startBefore = Native.ReadTimestampCounter();
            Native.OutB(PortChannel2, (byte)(CalibrationTicks >> 8));
            ulong startAfter = Native.ReadTimestampCounter();

            // The end lies between the TSC read before the last poll that saw OUT low and the one
            // after the first poll that saw it high.
            ulong lastLow = startAfter, endAfter;
            for (ulong guard = 0; ; guard++)
            {
                ulong beforePoll = Native.ReadTimestampCounter();
                if ((Native.InB(PortControlB) & Channel2Out) != 0)
                {
                    endAfter = Native.ReadTimestampCounter();
                    break;
                }

                lastLow = beforePoll;
                if (guard == 100_000_000)
                {
                    ticks = uncertainty = 0;
                    return false;
                }
            }

            ticks = ((lastLow + endAfter) / 2) - ((startBefore + startAfter) / 2);
            uncertainty = (endAfter - lastLow) + (startAfter - startBefore);
            return true;
        }
    }
}
