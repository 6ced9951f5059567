using System;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.Drivers.VmwareSvga;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.VmwareSvga
{
    /// <summary>The SVGA II driver against a simulated adapter: negotiation, mode setting, FIFO updates and wrap-around, and adapters that lie.</summary>
    public class VmwareSvgaDeviceTests
    {
        private static readonly TimeSpan SyncTimeout = TimeSpan.FromMilliseconds(50);

        internal static VmwareSvgaDevice? Start(SimSvga sim, out string? error, int width = 1280, int height = 1024) =>
            VmwareSvgaDevice.Start(new RegisterWindow(sim.Ports, 0, 8, "io bar0"), new RegisterWindow(sim.Fifo, 0, SimSvga.FifoBarSize, "mmio bar2"),
                SimSvga.VramAddress, (ulong)sim.Vram.Length, sim.Map, (width, height), SyncTimeout, "sim", out error);

        [Fact]
        public void NegotiatesSvgaIISetsTheModeThenConfiguresAndEnables()
        {
            using var sim = new SimSvga();
            VmwareSvgaDevice? svga = Start(sim, out string? error);
            Assert.Null(error);
            Assert.NotNull(svga);
            Assert.Equal(0x90000002u, sim.Id);
            Assert.Equal((1280u, 1024u), sim.Mode);
            Assert.Equal((1280, 1024, 1280), (svga.Width, svga.Height, svga.Stride));
            Assert.True(sim.ConfigDone);
            Assert.True(sim.Enabled);
            Assert.Equal(0x500Au, sim.GuestId);
            Assert.Equal(DeviceClass.Display, svga.Class);
            Assert.Equal("fb", svga.NameStem);

            // FIFO registers: commands start after the four registers and run to the size the device reported.
            Assert.Equal(16u, sim.Fifo.Word(0));
            Assert.Equal((uint)SimSvga.FifoBarSize, sim.Fifo.Word(1));
            Assert.Equal((uint)SimSvga.FifoBarSize - 16, svga.FifoCommandBytes);

            // Start shows the whole screen once.
            sim.RunFifo();
            Assert.Equal(new[] { (0u, 0u, 1280u, 1024u) }, sim.Updates);
        }

        [Fact]
        public void PixelsAreTheVramOfTheModeWithTheDevicesPitchAndOffset()
        {
            using var sim = new SimSvga { ExtraPitch = 64, FbOffset = 0x1000 };
            VmwareSvgaDevice svga = Start(sim, out _, 800, 600)!;
            Assert.Equal((800 * 4 + 64) / 4, svga.Stride);
            Assert.Equal(svga.Stride * 600, svga.Pixels.Length);
            svga.Pixels[(svga.Stride * 599) + 799] = 0x00123456;
            svga.Pixels[(svga.Stride * 10) + 3] = 0x00FF8000;
            Assert.Equal(0x00123456u, sim.PixelAt(799, 599));
            Assert.Equal(0x00FF8000u, sim.PixelAt(3, 10));
            Assert.Equal((ulong)(800 * 4 + 64) * 600, sim.MappedLength);
        }

        [Fact]
        public void FlushQueuesAnUpdateOfTheRectangleClippedToTheMode()
        {
            using var sim = new SimSvga();
            VmwareSvgaDevice svga = Start(sim, out _, 1024, 768)!;
            sim.RunFifo();
            sim.Updates.Clear();

            Assert.Null(svga.Flush(8, 16, 80, 32));
            Assert.Null(svga.Flush(-10, 700, 100, 500));
            Assert.Null(svga.Flush(2000, 0, 10, 10));       // wholly outside: nothing queued
            Assert.Null(svga.Flush(5, 5, 0, 10));
            Assert.Empty(sim.Updates);                      // queued, not yet run by the device
            sim.RunFifo();
            Assert.Equal(new[] { (8u, 16u, 80u, 32u), (0u, 700u, 90u, 68u) }, sim.Updates);
            Assert.Empty(sim.UnknownCommands);
        }

        [Fact]
        public void AFullFifoIsSyncedAndCommandsWrapAroundTheRingInOrder()
        {
            using var sim = new SimSvga();
            VmwareSvgaDevice svga = Start(sim, out _, 1024, 768)!;
            // 20 bytes an update: 8000 updates are 160,000 bytes through a 65,520-byte ring that the device only
            // empties when the driver syncs.
            for (int i = 0; i < 8000; i++)
            {
                Assert.Null(svga.Flush(i % 1000, i % 700, 1 + (i % 17), 1 + (i % 13)));
            }

            sim.RunFifo();
            Assert.True(svga.FifoSyncs >= 2, $"{svga.FifoSyncs} syncs");
            Assert.Equal(svga.FifoSyncs, sim.SyncWrites);
            Assert.Equal(8001, sim.Updates.Count);
            for (int i = 0; i < 8000; i++)
            {
                Assert.Equal(((uint)(i % 1000), (uint)(i % 700), (uint)(1 + (i % 17)), (uint)(1 + (i % 13))), sim.Updates[i + 1]);
            }

            Assert.Empty(sim.UnknownCommands);
        }

        [Fact]
        public void AnAdapterWithoutSvgaIIIsRefused()
        {
            using var sim = new SimSvga { AcceptedIds = new[] { 0x90000000u, 0x90000001u } };
            Assert.Null(Start(sim, out string? error));
            Assert.Equal("the device does not accept SVGA_ID_2 (SVGA_REG_ID reads 0x90000000)", error);
            Assert.False(sim.Enabled);
        }

        [Theory]
        [InlineData(0u)]
        [InlineData(1024u)]
        [InlineData(0x20000u)]      // more than BAR2 holds
        [InlineData(0x8002u)]       // not whole words
        public void AFifoOfNonsenseSizeIsRefused(uint fifoSize)
        {
            using var sim = new SimSvga { FifoSize = fifoSize };
            Assert.Null(Start(sim, out string? error));
            Assert.Contains($"a FIFO of {fifoSize} bytes", error);
            Assert.False(sim.Enabled);
            Assert.False(sim.ConfigDone);
        }

        [Theory]
        [InlineData(0u, 768u)]
        [InlineData(1024u, 0u)]
        [InlineData(100000u, 768u)]
        public void AMaximumModeOfNonsenseIsRefused(uint maxWidth, uint maxHeight)
        {
            using var sim = new SimSvga { MaxWidth = maxWidth, MaxHeight = maxHeight };
            Assert.Null(Start(sim, out string? error));
            Assert.Equal($"the device reports a maximum mode of {maxWidth}x{maxHeight}", error);
        }

        [Fact]
        public void VramThatIsNotBar1IsRefused()
        {
            using var sim = new SimSvga { FbStart = 0xE0000000 };
            Assert.Null(Start(sim, out string? error));
            Assert.Contains("VRAM at 0xe0000000", error);
        }

        [Fact]
        public void APreferredModeBeyondTheMaximumFallsBackToTheLargestStandardModeThatFits()
        {
            using var sim = new SimSvga { MaxWidth = 1024, MaxHeight = 768 };
            VmwareSvgaDevice svga = Start(sim, out string? error)!;
            Assert.Null(error);
            Assert.Equal((1024, 768), (svga.Width, svga.Height));

            using var small = new SimSvga(vramBytes: 2 << 20);          // 2 MiB: 800x600x4 fits, 1024x768x4 does not
            svga = Start(small, out error)!;
            Assert.Null(error);
            Assert.Equal((800, 600), (svga.Width, svga.Height));
        }

        [Fact]
        public void ADeviceThatDoesNotTakeTheModeIsRefused()
        {
            using var sim = new SimSvga { IgnoresModeWrites = true };
            Assert.Null(Start(sim, out string? error, 640, 480));
            Assert.Equal("asked for 640x480x32, the device reports 0x0x32", error);
            Assert.False(sim.Enabled);
        }

        [Fact]
        public void APixelFormatOtherThanX8R8G8B8IsRefused()
        {
            using var sim = new SimSvga { RedMask = 0xFF };
            Assert.Null(Start(sim, out string? error, 640, 480));
            Assert.Contains("not X8R8G8B8", error);
        }

        [Fact]
        public void SetModeChecksTheMaximumAndKeepsTheOldModeOnRefusal()
        {
            using var sim = new SimSvga();
            VmwareSvgaDevice svga = Start(sim, out _, 1024, 768)!;
            Assert.Equal("3000x768 is outside the device's 1x1..2368x1770", svga.SetMode(3000, 768));
            Assert.Equal((1024, 768), (svga.Width, svga.Height));
            Assert.Null(svga.SetMode(1600, 1200));
            Assert.Equal((1600u, 1200u), sim.Mode);
            Assert.Equal((1600, 1200, 1600), (svga.Width, svga.Height, svga.Stride));
            Assert.Null(svga.ApplyPreferredMode());
            Assert.Equal((1024u, 768u), sim.Mode);
        }

        [Fact]
        public void ADeviceThatNeverFinishesASyncFailsTheFlushAndIsGivenUpWithoutHanging()
        {
            using var sim = new SimSvga { SyncNeverEnds = true };
            VmwareSvgaDevice svga = Start(sim, out _, 640, 480)!;
            string? error = null;
            int flushes = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (error == null && flushes < 10000)
            {
                error = svga.Flush(0, 0, 8, 16);
                flushes++;
            }

            Assert.Equal("[svga] the device stayed busy for 50 ms after a sync with a full FIFO; the display is no longer updated", error);
            Assert.Equal(error, svga.Flush(0, 0, 8, 16));       // given up: no second wait
            Assert.Equal(1, sim.SyncWrites);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [Fact]
        public void AStopPointerOutsideTheRingBreaksTheFifo()
        {
            using var sim = new SimSvga();
            VmwareSvgaDevice svga = Start(sim, out _, 640, 480)!;
            sim.Fifo.SetWord(3, 0x20000);
            Assert.Equal("[svga] the device set FIFO STOP to 0x20000, not a word in the ring 0x10..0x10000; the display is no longer updated", svga.Flush(0, 0, 8, 8));
        }
    }
}
