namespace Cosmos.Core
{
    /// <summary>
    /// The CMOS real-time clock (MC146818: index port 0x70, data port 0x71), read as UTC, and the
    /// wall clock built on it: the RTC is read once, then time advances by the TSC, which is finer
    /// than the RTC's one second and never steps backwards.
    /// </summary>
    public static class RealTimeClock
    {
        private const ushort IndexPort = 0x70;
        private const ushort DataPort = 0x71;
        private const byte NmiDisable = 0x80;
        private const long TicksPerSecond = 10_000_000;

        private static bool s_anchored;
        private static long s_anchorUnixTicks;
        private static ulong s_anchorNanoseconds;

        /// <summary>The RTC's date and time now (seconds resolution), or null when it reads as nonsense.</summary>
        public static (int Year, int Month, int Day, int Hour, int Minute, int Second)? Read()
        {
            // Read until two passes agree, each begun outside an update cycle.
            for (int attempt = 0; attempt < 16; attempt++)
            {
                var first = ReadOnce();
                var second = ReadOnce();
                if (first == second)
                {
                    return Decode(first);
                }
            }

            return null;
        }

        /// <summary>
        /// 100 ns ticks since 1970-01-01 UTC (what SystemNative_GetSystemTimeAsTicks returns).
        /// When the RTC reads as nonsense the clock starts at 2000-01-01 and says so by <see cref="IsValid"/>.
        /// </summary>
        public static long UnixTicks
        {
            get
            {
                if (!s_anchored)
                {
                    Anchor();
                }

                ulong elapsed = Tsc.Nanoseconds - s_anchorNanoseconds;
                return s_anchorUnixTicks + (long)(elapsed / 100);
            }
        }

        /// <summary>True when the wall clock was set from a plausible RTC reading.</summary>
        public static bool IsValid { get; private set; }

        private static void Anchor()
        {
            var now = Read();
            long ticks;
            if (now is { } t)
            {
                ticks = DaysFromCivil(t.Year, t.Month, t.Day) * 86_400L * TicksPerSecond
                    + ((t.Hour * 3600L) + (t.Minute * 60L) + t.Second) * TicksPerSecond;
                IsValid = true;
            }
            else
            {
                ticks = DaysFromCivil(2000, 1, 1) * 86_400L * TicksPerSecond;
            }

            s_anchorUnixTicks = ticks;
            s_anchorNanoseconds = Tsc.Nanoseconds;
            s_anchored = true;
        }

        private static byte ReadRegister(byte index)
        {
            Native.OutB(IndexPort, (byte)(index | NmiDisable));
            return Native.InB(DataPort);
        }

        private static (byte Second, byte Minute, byte Hour, byte Day, byte Month, byte Year, byte Century, byte StatusB) ReadOnce()
        {
            for (int spin = 0; spin < 100_000 && (ReadRegister(0x0A) & 0x80) != 0; spin++)
            {
                // An update is in progress; it lasts under 2 ms.
            }

            return (ReadRegister(0x00), ReadRegister(0x02), ReadRegister(0x04), ReadRegister(0x07), ReadRegister(0x08),
                ReadRegister(0x09), ReadRegister(0x32), ReadRegister(0x0B));
        }

        private static (int, int, int, int, int, int)? Decode((byte Second, byte Minute, byte Hour, byte Day, byte Month, byte Year, byte Century, byte StatusB) raw)
        {
            bool binary = (raw.StatusB & 0x04) != 0;
            bool twentyFourHour = (raw.StatusB & 0x02) != 0;
            bool pm = (raw.Hour & 0x80) != 0;
            int second = Value(raw.Second, binary);
            int minute = Value(raw.Minute, binary);
            int hour = Value((byte)(raw.Hour & 0x7F), binary);
            int day = Value(raw.Day, binary);
            int month = Value(raw.Month, binary);
            int year = Value(raw.Year, binary);
            int century = Value(raw.Century, binary);
            if (!twentyFourHour)
            {
                hour = (hour % 12) + (pm ? 12 : 0);
            }

            // The century register (0x32, ACPI FADT's default) is not on every board; assume 20xx then.
            year += century is >= 19 and <= 29 ? century * 100 : 2000;
            if (second > 59 || minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12)
            {
                return null;
            }

            return (year, month, day, hour, minute, second);
        }

        private static int Value(byte raw, bool binary) => binary ? raw : ((raw >> 4) * 10) + (raw & 0x0F);

        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil algorithm).
        private static long DaysFromCivil(int year, int month, int day)
        {
            year -= month <= 2 ? 1 : 0;
            long era = (year >= 0 ? year : year - 399) / 400;
            long yearOfEra = year - (era * 400);
            long dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
            long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146_097) + dayOfEra - 719_468;
        }
    }
}
