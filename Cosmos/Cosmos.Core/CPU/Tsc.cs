namespace Cosmos.Core
{
    /// <summary>
    /// The time-stamp counter, calibrated once against PIT channel 2 (1.193182 MHz, gated through
    /// port 0x61, so no interrupt is needed). Gives monotonic nanoseconds since boot.
    /// </summary>
    public static class Tsc
    {
        private const uint PitFrequencyHz = 1193182;
        private const ushort CalibrationTicks = 11932;       // 10 ms of PIT time

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
        public static ulong Nanoseconds
        {
            get
            {
                ulong perSecond = TicksPerSecond;
                ulong elapsed = Native.ReadTimestampCounter() - s_bootTicks;
                ulong seconds = elapsed / perSecond;
                ulong rest = elapsed % perSecond;
                return (seconds * 1_000_000_000UL) + (rest * 1_000_000_000UL / perSecond);
            }
        }

        /// <summary>Measures the TSC rate over 10 ms of PIT channel 2.</summary>
        public static void Calibrate()
        {
            // Gate channel 2 on, speaker off; mode 0 (interrupt on terminal count), binary.
            byte control = Native.InB(0x61);
            Native.OutB(0x61, (byte)((control & 0xFC) | 0x01));
            Native.OutB(0x43, 0xB0);
            Native.OutB(0x42, (byte)(CalibrationTicks & 0xFF));
            Native.OutB(0x42, (byte)(CalibrationTicks >> 8));
            // Restart the count by toggling the gate.
            control = Native.InB(0x61);
            Native.OutB(0x61, (byte)(control & 0xFE));
            Native.OutB(0x61, (byte)(control | 0x01));
            ulong start = Native.ReadTimestampCounter();
            ulong guard = 0;
            while ((Native.InB(0x61) & 0x20) == 0 && guard++ < 100_000_000)
            {
            }

            ulong end = Native.ReadTimestampCounter();
            ulong ticks = (end - start) * PitFrequencyHz / CalibrationTicks;
            s_ticksPerSecond = ticks > 1_000_000 ? ticks : 1_000_000_000;  // a PIT that never fired: assume 1 GHz
            s_bootTicks = start;
        }
    }
}
