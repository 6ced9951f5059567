using System;
using System.IO;
using System.Text.Json.Nodes;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// The screen console with real input and real pixels: CosmosKernel boots with a virtio keyboard, tablet and
/// GPU (no VGA, so the GPU's scanout is what <c>screendump</c> captures) and a QMP socket. Tests type shell
/// commands on the virtio keyboard, move and click the tablet and read the reports the kernel prints on the
/// serial line, and compare a screendump with the console text rendered from the same font file and with the
/// exact pixels of the demo's test pattern.
/// </summary>
public sealed class DisplayInputTests
{
    private const string Prompt = "cosmos> ";
    private const uint Foreground = 0xAAAAAA, Background = 0x000000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(150);

    private sealed class Machine : IDisposable
    {
        private readonly string _socket = Path.Combine(Path.GetTempPath(), $"cosmos-qmp-{Guid.NewGuid():N}.sock");

        public Machine(string extraDevice = "virtio-gpu-pci")
        {
            KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
            build.EnsureSucceeded();
            Session = QemuSession.Start("CosmosKernel with virtio keyboard, tablet and GPU", ["-kernel", build.KernelElf], Lifetime,
            [
                "-vga", "none", "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci", "-device", extraDevice,
                "-qmp", $"unix:{_socket},server=on,wait=off",
            ]);
            Session.WaitFor(Prompt);
            Qmp = QmpClient.Connect(_socket, TimeSpan.FromSeconds(20));
        }

        public QemuSession Session { get; }

        public QmpClient Qmp { get; }

        public PpmImage Screendump()
        {
            string path = Path.Combine(Path.GetTempPath(), $"cosmos-screen-{Guid.NewGuid():N}.ppm");
            try
            {
                Qmp.Execute("screendump", new JsonObject { ["filename"] = path });
                return PpmImage.Read(path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        public void Dispose()
        {
            Qmp?.Dispose();
            Session.Dispose();
            File.Delete(_socket);
        }
    }

    [Fact]
    public void CommandsTypedOnTheVirtioKeyboardRunInTheShell()
    {
        using var machine = new Machine();
        int at = machine.Session.Serial.Length;
        machine.Qmp.TypeLine("echo Hello World-1.5");
        at = machine.Session.WaitFor("echo Hello World-1.5\n", at);
        at = machine.Session.WaitFor("Hello World-1.5\n", at);
        at = machine.Session.WaitFor(Prompt, at);

        // Backspace and the arrow keys go through the line editor.
        foreach (string key in new[] { "e", "c", "h", "o", "spc", "x", "y", "backspace", "z", "left", "a", "ret" })
        {
            machine.Qmp.SendKeys(key);
        }

        at = machine.Session.WaitFor("\nxaz\n", at);
        at = machine.Session.WaitFor(Prompt, at);

        // The German layout: the key labelled Y on a US keyboard types z, and the one labelled Z types y.
        machine.Qmp.TypeLine("keymap de");
        at = machine.Session.WaitFor("keymap: de\n", at);
        machine.Qmp.SendKeys("e");
        machine.Qmp.SendKeys("c");
        machine.Qmp.SendKeys("h");
        machine.Qmp.SendKeys("o");
        machine.Qmp.SendKeys("spc");
        machine.Qmp.SendKeys("y");
        machine.Qmp.SendKeys("z");
        machine.Qmp.SendKeys("shift", "minus"); // ß's key with shift: ?
        machine.Qmp.SendKeys("ret");
        machine.Session.WaitFor("\nzy?\n", at);
    }

    [Fact]
    public void TabletMovesAndClicksAreReportedInScreenCoordinates()
    {
        using var machine = new Machine();
        int at = machine.Session.Serial.Length;
        machine.Qmp.TypeLine("evtest 3 20000");
        at = machine.Session.WaitFor("evtest: waiting for 3 pointer reports from 4 input devices", at); // virtio keyboard and tablet, PS/2 keyboard and mouse
        machine.Qmp.SendEvents(
        [
            new JsonObject { ["type"] = "abs", ["data"] = new JsonObject { ["axis"] = "x", ["value"] = 16384 } },
            new JsonObject { ["type"] = "abs", ["data"] = new JsonObject { ["axis"] = "y", ["value"] = 8192 } },
        ]);
        machine.Qmp.SendEvents([new JsonObject { ["type"] = "btn", ["data"] = new JsonObject { ["button"] = "left", ["down"] = true } }]);
        machine.Qmp.SendEvents([new JsonObject { ["type"] = "btn", ["data"] = new JsonObject { ["button"] = "left", ["down"] = false } }]);

        // QEMU's tablet spans 0..32767; the screen is 1280x800: x = 16384 * 1279 / 32767, y = 8192 * 799 / 32767.
        at = machine.Session.WaitFor("tablet0: x 639 y 199 buttons 0\n", at);
        at = machine.Session.WaitFor("tablet0: x 639 y 199 buttons 1\n", at);
        at = machine.Session.WaitFor("tablet0: x 639 y 199 buttons 0\n", at);
        machine.Session.WaitFor("evtest: 3 reports", at);
    }

    [Fact]
    public void TheScreenShowsTheConsoleTextInTheFontAndTheDemoPatternExactly()
    {
        using var machine = new Machine();
        int at = machine.Session.Serial.Length;
        machine.Qmp.TypeLine("demo");
        at = machine.Session.WaitFor("demo: pattern at 992,16 on 1280x800\n", at);
        machine.Session.WaitFor(Prompt, at);
        PpmImage screen = machine.Screendump();
        Assert.Equal((1280, 800), (screen.Width, screen.Height));

        // The console's first lines, cell by cell against the font file's glyphs.
        PsfFont font = PsfFont.Read();
        string[] lines = machine.Session.Serial.Split('\n');
        for (int row = 0; row < 4; row++)
        {
            string line = lines[row].Length > 100 ? lines[row][..100] : lines[row];
            for (int column = 0; column < line.Length; column++)
            {
                for (int y = 0; y < 16; y++)
                {
                    for (int x = 0; x < 8; x++)
                    {
                        uint expected = (font.Row(line[column], y) & (0x80 >> x)) != 0 ? Foreground : Background;
                        uint seen = screen[(column * 8) + x, (row * 16) + y];
                        Assert.True(expected == seen,
                            $"row {row} column {column} ('{line[column]}') pixel ({x},{y}): expected {expected:x6}, screen has {seen:x6}");
                    }
                }
            }
        }

        // The demo's pattern: a white frame, eight 32x32 squares of exact colours, black inside the frame.
        uint[] colors = [0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0xFFFFFF, 0x808080];
        const int left = 992, top = 16;
        for (int x = left; x < left + 272; x++)
        {
            Assert.Equal(0xFFFFFFu, screen[x, top]);
            Assert.Equal(0xFFFFFFu, screen[x, top + 79]);
        }

        for (int i = 0; i < colors.Length; i++)
        {
            for (int y = top + 8; y < top + 40; y++)
            {
                for (int x = left + 8 + (i * 32); x < left + 40 + (i * 32); x++)
                {
                    Assert.True(colors[i] == screen[x, y], $"square {i} pixel ({x},{y}): expected {colors[i]:x6}, screen has {screen[x, y]:x6}");
                }
            }
        }

        Assert.Equal(0x000000u, screen[left + 4, top + 4]);
        Assert.Equal(0xFFFFFFu, screen[left + 8, top + 72]); // the line's first point
        Assert.Equal(0xFFFFFFu, screen[left + 263, top + 44]); // and its last
    }

    [Fact]
    public void AfterTheConsoleScrolledPastAWholeFramebufferTheScreenShowsTheLastLines()
    {
        // fbbench writes a screenful and then 400 more lines to the screen alone: the console pans over the GPU's
        // framebuffer (four screens, 150 lines of panning) and copies the screen back to its top at least twice.
        using var machine = new Machine();
        int at = machine.Session.Serial.Length;
        machine.Qmp.TypeLine("fbbench 1 400");
        at = machine.Session.WaitFor("fbbench 1 400\n", at);
        int output = at;
        at = machine.Session.WaitFor("#FBBENCH scroll 1280x800 400 ", at);
        machine.Session.WaitFor(Prompt, at);
        System.Threading.Thread.Sleep(500);
        PpmImage screen = machine.Screendump();

        // The screen's last rows: two of fbbench's scroll lines, then what the shell printed (on the serial line
        // too), wrapped at 160 columns, then the prompt.
        const string scrollLine = "fbbench scroll line: the quick brown fox jumps over the lazy dog 0123456789";
        var rows = new System.Collections.Generic.List<string> { scrollLine, scrollLine };
        string[] printed = machine.Session.Serial[output..].Replace("\r", "").Split('\n');
        for (int i = 0; i < printed.Length - 1; i++)
        {
            for (int start = 0; start == 0 || start < printed[i].Length; start += 160)
            {
                rows.Add(printed[i][start..Math.Min(start + 160, printed[i].Length)]);
            }
        }

        rows.Add(Prompt);
        PsfFont font = PsfFont.Read();
        int top = 50 - rows.Count;
        for (int row = 0; row < rows.Count; row++)
        {
            string line = rows[row].PadRight(160);
            for (int column = 0; column < 160; column++)
            {
                for (int y = 0; y < 14; y++) // the cursor's two bottom rows left out
                {
                    for (int x = 0; x < 8; x++)
                    {
                        uint expected = (font.Row(line[column], y) & (0x80 >> x)) != 0 ? Foreground : Background;
                        uint seen = screen[(column * 8) + x, ((top + row) * 16) + y];
                        Assert.True(expected == seen,
                            $"row {top + row} column {column} ('{line[column]}') pixel ({x},{y}): expected {expected:x6}, screen has {seen:x6}");
                    }
                }
            }
        }
    }

    [Fact]
    public void AsVirtioVgaTheConsoleIsOnTheGpusScanout()
    {
        using var machine = new Machine("virtio-vga");
        int at = machine.Session.Serial.Length;
        machine.Qmp.TypeLine("lsdev");
        at = machine.Session.WaitFor("fb0      Display  virtio-gpu", at);
        machine.Session.WaitFor(Prompt, at);
        PpmImage screen = machine.Screendump();
        Assert.Equal((1280, 800), (screen.Width, screen.Height));
        PsfFont font = PsfFont.Read();
        const string first = "CosmosKernel";
        for (int column = 0; column < first.Length; column++)
        {
            for (int y = 0; y < 16; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    uint expected = (font.Row(first[column], y) & (0x80 >> x)) != 0 ? Foreground : Background;
                    Assert.Equal(expected, screen[(column * 8) + x, y]);
                }
            }
        }
    }
}
