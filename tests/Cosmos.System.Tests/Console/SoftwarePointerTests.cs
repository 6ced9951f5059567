using System;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Console;
using Xunit;

namespace Cosmos.System.Tests.Console
{
    /// <summary>
    /// The mouse pointer the screen console draws itself on a display without a hardware cursor (the firmware
    /// framebuffer, SVGA II): where it appears, that it covers text without destroying it, and that it stays on top.
    /// </summary>
    public class SoftwarePointerTests
    {
        private const uint White = 0xFFFFFF, Black = 0x000000, Grey = 0xAAAAAA;

        [Fact]
        public void ThePointerAppearsWhenTheMouseMovesAndLeavesThePixelsItCoveredUntouched()
        {
            var display = new MemoryDisplay(160, 64);
            var hub = new InputHub();
            var mouse = new FakeMouse();
            var port = new ScreenTerminalPort(display, hub);
            port.Write(Encoding.ASCII.GetBytes("\u001b[2J\u001b[HXXXXXXXXXX\r\nXXXXXXXXXX"));
            uint[] before = display.Copy();
            Assert.Null(port.SoftwarePointer);

            int flushes = display.Flushes.Count;
            mouse.Move(hub, 20, 5);
            Assert.Equal((20, 5), port.SoftwarePointer);
            Assert.True(display.Flushes.Count > flushes, "the moved pointer is flushed to the screen");
            // The arrow's tip is its black outline, the inside white; beside the arrow the text is still there.
            Assert.Equal(Black, display.At(20, 5));
            Assert.Equal(White, display.At(21, 7));
            Assert.Equal(before[(5 * 160) + 40], display.At(40, 5));

            mouse.Move(hub, 60, 20);
            Assert.Equal((80, 25), port.SoftwarePointer);
            for (int y = 0; y < 21; y++)
            {
                for (int x = 0; x < 80; x++)
                {
                    Assert.True(before[(y * 160) + x] == display.At(x, y), $"pixel ({x}, {y}) was put back after the pointer left");
                }
            }
        }

        [Fact]
        public void TextWrittenUnderThePointerKeepsThePointerOnTopAndIsWholeWhenItLeaves()
        {
            var display = new MemoryDisplay(160, 64);
            var hub = new InputHub();
            var mouse = new FakeMouse();
            var port = new ScreenTerminalPort(display, hub);
            mouse.Move(hub, 0, 1);
            Assert.Equal((0, 1), port.SoftwarePointer);

            port.Write(Encoding.ASCII.GetBytes("\u001b[47m          \u001b[0m"));   // grey cells over the pointer
            Assert.Equal((0, 1), port.SoftwarePointer);
            Assert.Equal(Black, display.At(0, 1));

            mouse.Move(hub, 100, 30);
            Assert.Equal(Grey, display.At(0, 1));
            Assert.Equal(Grey, display.At(3, 6));
        }

        [Fact]
        public void APointerAtTheScreensEdgeIsClippedNotWrittenPastIt()
        {
            var display = new MemoryDisplay(64, 32);
            var hub = new InputHub();
            var mouse = new FakeMouse();
            var port = new ScreenTerminalPort(display, hub);
            mouse.Move(hub, 1000, 1000);   // clamped to the last pixel: one pixel of the arrow fits
            Assert.Equal((63, 31), port.SoftwarePointer);
            Assert.Equal(Black, display.At(63, 31));
            mouse.Move(hub, -2, -2);       // three rows and columns fit: the arrow's inside shows at (62, 31)
            Assert.Equal((61, 29), port.SoftwarePointer);
            Assert.Equal(White, display.At(62, 31));
            mouse.Move(hub, -1000, -1000);
            Assert.Equal((0, 0), port.SoftwarePointer);
            Assert.Equal(0u, display.At(62, 31));
        }
    }
}
