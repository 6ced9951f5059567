using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Cosmos.System.Console;
using Cosmos.System.Console.Keyboard;
using Cosmos.System.Graphics;

namespace CosmosKernel.Commands
{
    /// <summary>
    /// <c>demo [image.bmp]</c>: draws a test pattern with the Canvas in the screen's top-right corner (eight
    /// 32×32 colour squares, a white frame, a diagonal line and a caption), and the BMP file when given.
    /// The pattern's pixels are exact, so tests compare them with a screendump.
    /// </summary>
    public sealed class DemoCommand : Cosmos.System.Shell.IShellCommand
    {
        /// <summary>The pattern's colours, left to right.</summary>
        public static readonly uint[] Colors = { 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0xFFFFFF, 0x808080 };

        private readonly Func<ScreenTerminalPort?> _screen;

        public DemoCommand(Func<ScreenTerminalPort?> screen) => _screen = screen;

        public string Name => "demo";

        public string Summary => "demo [file.bmp]      draw a test pattern (and an image) on the screen";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            ScreenTerminalPort? screen = _screen();
            if (screen == null)
            {
                output.WriteLine("demo: no display");
                return 1;
            }

            var canvas = new Canvas(screen.Display);
            int left = canvas.Width - 288, top = 16;
            canvas.FillRectangle(0x000000, left, top, 272, 80);
            canvas.DrawRectangle(0xFFFFFF, left, top, 272, 80);
            for (int i = 0; i < Colors.Length; i++)
            {
                canvas.FillRectangle(Colors[i], left + 8 + (i * 32), top + 8, 32, 32);
            }

            canvas.DrawLine(0xFFFFFF, left + 8, top + 72, left + 263, top + 44);
            canvas.DrawString("Cosmos Canvas", 0xFFFF00, left + 8, top + 48);
            if (arguments.Count > 0)
            {
                try
                {
                    Bitmap image = Bitmap.FromBmp(File.ReadAllBytes(arguments[0]));
                    canvas.DrawImage(image, left, top + 96);
                    output.WriteLine($"demo: {arguments[0]} {image.Width}x{image.Height}");
                }
                catch (Exception error) when (error is IOException or FormatException or UnauthorizedAccessException)
                {
                    output.WriteLine($"demo: {arguments[0]}: {error.Message}");
                    return 1;
                }
            }

            string? failure = canvas.Display();
            output.WriteLine(failure ?? $"demo: pattern at {left},{top} on {canvas.Width}x{canvas.Height}");
            return failure == null ? 0 : 1;
        }
    }

    /// <summary><c>evtest [count] [ms]</c>: prints the next pointer reports (mouse and tablet) as they arrive.</summary>
    public sealed class EvtestCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly InputHub _input;

        public EvtestCommand(InputHub input) => _input = input;

        public string Name => "evtest";

        public string Summary => "evtest [n] [ms]      print the next n pointer reports (default 1, 10 s)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            int count = arguments.Count > 0 && int.TryParse(arguments[0], out int n) && n > 0 ? n : 1;
            int milliseconds = arguments.Count > 1 && int.TryParse(arguments[1], out int ms) && ms > 0 ? ms : 10_000;
            _input.TakePointerReports();
            output.WriteLine($"evtest: waiting for {count} pointer reports from {_input.Devices.Count} input devices");
            long deadline = Stopwatch.GetTimestamp() + (milliseconds * Stopwatch.Frequency / 1000);
            int seen = 0;
            while (seen < count && Stopwatch.GetTimestamp() < deadline)
            {
                foreach (string report in _input.TakePointerReports())
                {
                    output.WriteLine(report);
                    seen++;
                }

                System.Threading.Thread.Sleep(5);
            }

            output.WriteLine($"evtest: {seen} reports");
            return seen >= count ? 0 : 1;
        }
    }

    /// <summary><c>keymap [us|gb|de|fr]</c>: shows or sets the keyboard layout.</summary>
    public sealed class KeymapCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly InputHub _input;

        public KeymapCommand(InputHub input) => _input = input;

        public string Name => "keymap";

        public string Summary => "keymap [us|gb|de|fr] show or set the keyboard layout";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count == 0)
            {
                output.WriteLine($"keymap: {_input.Keyboard.Layout.Name}");
                return 0;
            }

            KeyboardLayout? layout = KeyboardLayout.Find(arguments[0]);
            if (layout == null)
            {
                output.WriteLine($"keymap: unknown layout '{arguments[0]}' (us, gb, de, fr)");
                return 2;
            }

            _input.Keyboard.Layout = layout;
            output.WriteLine($"keymap: {layout.Name}");
            return 0;
        }
    }
}

namespace CosmosKernel.Commands
{
    /// <summary>
    /// <c>fbbench [flushes] [lines]</c>: full-screen flushes per second at the current mode (alone, and with the
    /// whole framebuffer filled before each), and console scroll
    /// throughput (lines per second written to the screen alone, each line a scroll once the screen is full).
    /// Besides the sentence it prints <c>#FBBENCH flush WxH count seconds</c>, <c>#FBBENCH fillflush WxH count seconds</c> and
    /// <c>#FBBENCH scroll WxH lines seconds scrolls</c> for <c>./cosmos bench</c>.
    /// </summary>
    public sealed class FbbenchCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly Func<ScreenTerminalPort?> _screen;

        public FbbenchCommand(Func<ScreenTerminalPort?> screen) => _screen = screen;

        public string Name => "fbbench";

        public string Summary => "fbbench [n] [lines]  measure full-screen flushes/s and console scroll lines/s";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            ScreenTerminalPort? screen = _screen();
            if (screen == null)
            {
                output.WriteLine("fbbench: no display");
                return 1;
            }

            int flushes = arguments.Count > 0 && int.TryParse(arguments[0], out int f) && f > 0 ? f : 100;
            int lines = arguments.Count > 1 && int.TryParse(arguments[1], out int l) && l > 0 ? l : 500;
            var display = screen.Display;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < flushes; i++)
            {
                string? error = display.Flush(0, 0, display.Width, display.Height);
                if (error != null)
                {
                    output.WriteLine("fbbench: " + error);
                    return 1;
                }
            }

            double flushSeconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;

            // The same with the whole framebuffer drawn before each flush (the Linux peer's fill + DIRTYFB); the
            // scroll test below then repaints every row of the console.
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < flushes; i++)
            {
                display.Pixels.Fill((uint)(i & 0xFF) * 0x010101u);
                string? error = display.Flush(0, 0, display.Width, display.Height);
                if (error != null)
                {
                    output.WriteLine("fbbench: " + error);
                    return 1;
                }
            }

            double fillSeconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            byte[] line = System.Text.Encoding.ASCII.GetBytes("fbbench scroll line: the quick brown fox jumps over the lazy dog 0123456789\n");
            for (int i = 0; i < screen.Rows; i++)
            {
                screen.Write(line); // untimed: fills the screen, so that every timed line scrolls
            }

            long scrolled = screen.ScrolledLines;
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < lines; i++)
            {
                screen.Write(line);
            }

            double scrollSeconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(invariant,
                $"fbbench: {display.Width}x{display.Height}: {flushes / flushSeconds:F1} full-screen flushes/s ({flushes} in {flushSeconds:F2} s), {flushes / fillSeconds:F1}/s filling the screen first; {lines / scrollSeconds:F0} console lines/s ({screen.ScrolledLines - scrolled} scrolls in {scrollSeconds:F2} s)"));

            // For tests/bench/display_figures.py: one line per figure, counts and seconds as measured.
            output.WriteLine(string.Create(invariant, $"#FBBENCH flush {display.Width}x{display.Height} {flushes} {flushSeconds:F6}"));
            output.WriteLine(string.Create(invariant, $"#FBBENCH fillflush {display.Width}x{display.Height} {flushes} {fillSeconds:F6}"));
            output.WriteLine(string.Create(invariant, $"#FBBENCH scroll {display.Width}x{display.Height} {lines} {scrollSeconds:F6} {screen.ScrolledLines - scrolled}"));
            return 0;
        }
    }
}
