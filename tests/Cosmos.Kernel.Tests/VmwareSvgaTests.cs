using System;
using System.IO;
using System.Text.Json.Nodes;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// The VMware SVGA II driver in QEMU (<c>-vga vmware</c>, the adapter VMware gives every guest): the ISO boots under
/// SeaBIOS, GRUB sets the firmware's 1024×768 through the adapter's VBE BIOS, and the driver then takes the adapter
/// into SVGA mode at 1280×1024. The screendump must have that size and show, pixel for pixel, the console's text in
/// the font and the demo's pattern — which QEMU only shows after the driver's FIFO UPDATE commands, since an enabled
/// and configured SVGA stops QEMU's own tracking of framebuffer writes.
/// </summary>
public sealed class VmwareSvgaTests
{
    private const string Prompt = "cosmos> ";
    private const uint Foreground = 0xAAAAAA, Background = 0x000000;

    [Fact]
    public void TheDriverSetsAModeBeyondTheFirmwaresAndTheScreenShowsTheConsoleAndTheDemoExactly()
    {
        string iso = BootMatrixTests.CosmosKernelIso();
        string socket = Path.Combine(Path.GetTempPath(), $"cosmos-qmp-{Guid.NewGuid():N}.sock");
        try
        {
            using QemuSession session = QemuSession.Start("CosmosKernel ISO with VMware SVGA II", ["-cdrom", iso], TimeSpan.FromSeconds(150),
                ["-vga", "vmware", "-qmp", $"unix:{socket},server=on,wait=off"]);
            int at = session.WaitFor(Prompt);
            Assert.Contains("[svga] fb0: 1280x1024 (max ", session.Serial);
            using QmpClient qmp = QmpClient.Connect(socket, TimeSpan.FromSeconds(20));

            session.TypeLine("lsdev");
            int end = session.WaitFor(Prompt, at);
            Assert.Matches(@"fb0\s+Display\s+vmware-svga\s+Polled\s+pci 0000:00:02\.0", session.Serial[at..end]);
            Assert.DoesNotContain("firmware-fb", session.Serial[at..end]);

            session.TypeLine("demo");
            at = session.WaitFor("demo: pattern at 992,16 on 1280x1024\n", end);
            session.WaitFor(Prompt, at);
            PpmImage screen = Screendump(qmp);
            Assert.Equal((1280, 1024), (screen.Width, screen.Height));

            // The console's first lines (from the banner: the driver's log line came before the screen console),
            // cell by cell against the font file's glyphs.
            PsfFont font = PsfFont.Read();
            string serial = session.Serial;
            string[] lines = serial[serial.IndexOf("CosmosKernel 0.1", StringComparison.Ordinal)..].Split('\n');
            for (int row = 0; row < 3; row++)
            {
                AssertTextAt(screen, font, lines[row], row);
            }

            AssertDemoPattern(screen, left: 992, top: 16);
        }
        finally
        {
            File.Delete(socket);
        }
    }

    private static PpmImage Screendump(QmpClient qmp)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cosmos-screen-{Guid.NewGuid():N}.ppm");
        try
        {
            qmp.Execute("screendump", new JsonObject { ["filename"] = path });
            return PpmImage.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertTextAt(PpmImage screen, PsfFont font, string line, int row)
    {
        for (int column = 0; column < Math.Min(line.Length, screen.Width / 8); column++)
        {
            for (int y = 0; y < 16; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    uint expected = (font.Row(line[column], y) & (0x80 >> x)) != 0 ? Foreground : Background;
                    uint seen = screen[(column * 8) + x, (row * 16) + y];
                    Assert.True(expected == seen, $"row {row} column {column} ('{line[column]}') pixel ({x},{y}): expected {expected:x6}, screen has {seen:x6}");
                }
            }
        }
    }

    // The demo's pattern (CosmosKernel/Commands/DisplayCommands.cs): a white frame, eight 32x32 squares of exact colours.
    private static void AssertDemoPattern(PpmImage screen, int left, int top)
    {
        uint[] colors = [0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0xFFFFFF, 0x808080];
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
    }
}
