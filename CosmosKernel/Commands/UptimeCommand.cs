using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace CosmosKernel.Commands
{
    /// <summary>
    /// <c>uptime</c>: the time of day and how long the kernel has run, in procps' format (without
    /// users and load averages, which a single-threaded kernel does not have); <c>-p</c> pretty,
    /// <c>-s</c> the moment it booted. Plain .NET: Environment.TickCount64 and DateTime.Now.
    /// </summary>
    public sealed class UptimeCommand : Cosmos.System.Shell.IShellCommand
    {
        public string Name => "uptime";

        public string Summary => "uptime [-p|-s]       show the time and how long the system has run";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            TimeSpan up = TimeSpan.FromMilliseconds(Environment.TickCount64);
            DateTime now = DateTime.Now;
            string option = arguments.Count == 0 ? "" : arguments[0];
            if (arguments.Count > 1 || (option.Length > 0 && option != "-p" && option != "-s"))
            {
                output.WriteLine("uptime: usage: uptime [-p|-s]");
                return 2;
            }

            output.WriteLine(option switch
            {
                "-p" => Pretty(up),
                "-s" => (now - up).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                _ => " " + now.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " up " + Classic(up),
            });
            return 0;
        }

        // procps' sprint_uptime: "N day(s), " then "H:MM" (hours padded to two columns) or "M min".
        private static string Classic(TimeSpan up)
        {
            var text = new StringBuilder();
            if (up.Days > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{up.Days} day{(up.Days == 1 ? "" : "s")}, ");
            }

            text.Append(up.Hours > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{up.Hours,2}:{up.Minutes:00}")
                : string.Create(CultureInfo.InvariantCulture, $"{up.Minutes} min"));
            return text.ToString();
        }

        // procps' -p: weeks, days, hours and minutes that are not zero, minutes always shown.
        private static string Pretty(TimeSpan up)
        {
            var parts = new List<string>();
            Add(parts, up.Days / 7, "week");
            Add(parts, up.Days % 7, "day");
            Add(parts, up.Hours, "hour");
            if (up.Minutes > 0 || parts.Count == 0)
            {
                parts.Add(Count(up.Minutes, "minute"));
            }

            return "up " + string.Join(", ", parts);
        }

        private static void Add(List<string> parts, int value, string unit)
        {
            if (value > 0)
            {
                parts.Add(Count(value, unit));
            }
        }

        private static string Count(int value, string unit) =>
            string.Create(CultureInfo.InvariantCulture, $"{value} {unit}{(value == 1 ? "" : "s")}");
    }
}
