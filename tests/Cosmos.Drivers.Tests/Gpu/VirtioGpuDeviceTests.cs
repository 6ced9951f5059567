using System;
using System.Buffers.Binary;
using System.Linq;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Gpu;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Gpu
{
    /// <summary>virtio-gpu bring-up, damaged-rectangle flushes, the cursor and display events against a simulated device.</summary>
    public class VirtioGpuDeviceTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void StartUsesTheEdidModeAndShowsAFramebufferOnScanoutZero(SimLayout layout)
        {
            using SimGpuDevice sim = SimGpuDevice.Create(layout);
            VirtioGpuDevice gpu = sim.StartDriver();
            Assert.Equal(1280, gpu.Width);
            Assert.Equal(800, gpu.Height);
            Assert.Equal("edid", gpu.Mode.Source);
            Assert.Equal(new uint[] { 0x100, 0x10A, 0x101, 0x106, 0x103, 0x105, 0x104 }, sim.CommandTypes().ToArray());
            (uint width, uint height, uint format, ulong backing, uint length) = sim.ResourceInfo(sim.ScanoutResource);
            Assert.Equal((1280u, 800u, 2u), (width, height, format));
            Assert.NotEqual(0UL, backing);
            Assert.Equal(1280u * 800 * 4, length);
            Assert.Equal((0u, 0u, 1280u, 800u), sim.ScanoutRect);
            Assert.Equal((0u, 0u, 1280u, 800u), sim.Flushes.Single());

            // Behind the one-screen resource, framebuffer memory for four screens to pan over (16 MiB: under PanBytes).
            Assert.Equal((3200, 0), (gpu.VirtualHeight, gpu.PanOrigin));
            Assert.Equal(1280 * 800, gpu.Pixels.Length);
            Assert.Equal(1280 * 3200, gpu.VirtualPixels.Length);
            Assert.Equal(DeviceClass.Display, gpu.Class);
            Assert.Equal("fb", gpu.NameStem);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void WithoutEdidTheDisplayInfoRectangleIsTheMode()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern, edid: false);
            sim.DisplayInfoMode = (800, 600);
            VirtioGpuDevice gpu = sim.StartDriver();
            Assert.Equal((800, 600, "display-info"), (gpu.Width, gpu.Height, gpu.Mode.Source));
            Assert.DoesNotContain(0x10Au, sim.CommandTypes());
            Assert.False(gpu.HasEdid);
        }

        [Fact]
        public void ACorruptEdidFallsBackToDisplayInfo()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            byte[] edid = SimGpuDevice.MakeEdid(1920, 1080);
            edid[100] ^= 0x55; // checksum now wrong
            sim.Edid = edid;
            VirtioGpuDevice gpu = sim.StartDriver();
            Assert.Equal((1024, 768, "display-info"), (gpu.Width, gpu.Height, gpu.Mode.Source));
        }

        [Fact]
        public void ADisplayWithNoEnabledScanoutGetsTheDefaultMode()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern, edid: false);
            sim.DisplayInfoMode = (0, 0);
            VirtioGpuDevice gpu = sim.StartDriver();
            Assert.Equal((VirtioGpuDevice.DefaultWidth, VirtioGpuDevice.DefaultHeight, "default"), (gpu.Width, gpu.Height, gpu.Mode.Source));
        }

        [Fact]
        public void FlushSendsOnlyTheDamagedRectangleAndTheHostSeesThosePixels()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            Span<uint> pixels = gpu.Pixels;
            for (int y = 0; y < gpu.Height; y++)
            {
                for (int x = 0; x < gpu.Width; x++)
                {
                    pixels[(y * gpu.Stride) + x] = (uint)((y << 12) | x);
                }
            }

            sim.Commands.Clear();
            sim.Flushes.Clear();
            Assert.Null(gpu.Flush(10, 20, 30, 40));
            Assert.Equal(new uint[] { 0x105, 0x104 }, sim.CommandTypes().ToArray());
            byte[] transfer = sim.Commands[0].Bytes;
            Assert.Equal(56, transfer.Length);
            Assert.Equal(new uint[] { 10, 20, 30, 40 }, Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(transfer.AsSpan(24 + (4 * i)))).ToArray());
            Assert.Equal((ulong)((20 * 1280) + 10) * 4, BinaryPrimitives.ReadUInt64LittleEndian(transfer.AsSpan(40)));
            byte[] flush = sim.Commands[1].Bytes;
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(flush.AsSpan(4)) & 1); // fenced
            Assert.NotEqual(0UL, BinaryPrimitives.ReadUInt64LittleEndian(flush.AsSpan(8)));
            Assert.Equal((10u, 20u, 30u, 40u), sim.Flushes.Single());

            uint[] host = sim.HostPixels(sim.ScanoutResource);
            Assert.Equal((uint)((20 << 12) | 10), host[(20 * 1280) + 10]);
            Assert.Equal((uint)((59 << 12) | 39), host[(59 * 1280) + 39]);
            Assert.Equal(0u, host[(60 * 1280) + 39]); // below the rectangle: never transferred
            Assert.Equal(0u, host[(20 * 1280) + 40]); // right of it
        }

        [Fact]
        public void FlushClipsToTheScreenAndSendsNothingForAnEmptyRectangle()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            sim.Commands.Clear();
            sim.Flushes.Clear();
            Assert.Null(gpu.Flush(1270, 790, 100, 100));
            Assert.Equal((1270u, 790u, 10u, 10u), sim.Flushes.Single());
            sim.Commands.Clear();
            Assert.Null(gpu.Flush(2000, 10, 5, 5));
            Assert.Null(gpu.Flush(-50, -50, 40, 40));
            Assert.Empty(sim.Commands);
        }

        [Fact]
        public void AnErrorResponseDuringStartNamesTheCommandAndTheError()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            sim.Answer = type => type == 0x101 ? SimGpuDevice.Header(0x1201) : null;
            VirtioResult<VirtioGpuDevice> started = sim.TryStart();
            Assert.False(started.IsSuccess);
            Assert.Equal("virtio-gpu: RESOURCE_CREATE_2D failed: the device answered ERR_OUT_OF_MEMORY", started.Error);
            Assert.Equal(0x80, sim.Device.Status & 0x80); // FAILED set
        }

        [Fact]
        public void AnErrorResponseToAFlushIsReturnedAndTheNextFlushWorks()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            sim.Answer = type => type == 0x104 ? SimGpuDevice.Header(0x1203) : null;
            Assert.Equal("virtio-gpu: RESOURCE_FLUSH failed: the device answered ERR_INVALID_RESOURCE_ID", gpu.Flush(0, 0, 8, 8));
            sim.Answer = null;
            Assert.Null(gpu.Flush(0, 0, 8, 8));
        }

        [Fact]
        public void AResponseOfTheWrongTypeIsAnError()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            sim.Answer = type => type == 0x100 ? SimGpuDevice.Header(0x1100) : null;
            VirtioResult<VirtioGpuDevice> started = sim.TryStart();
            Assert.Equal("virtio-gpu: GET_DISPLAY_INFO: the device answered type OK_NODATA, expected OK_DISPLAY_INFO", started.Error);
        }

        [Fact]
        public void AShortResponseIsAnError()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            sim.Answer = type => type == 0x100 ? new byte[] { 0x01, 0x11, 0, 0, 0, 0, 0, 0, 0, 0 } : null;
            Assert.Equal("virtio-gpu: GET_DISPLAY_INFO: the device wrote 10 bytes, a response header is 24", sim.TryStart().Error);

            using SimGpuDevice truncated = SimGpuDevice.Create(SimLayout.PciModern);
            truncated.Answer = type =>
            {
                if (type != 0x100)
                {
                    return null;
                }

                byte[] header = SimGpuDevice.Header(0x1101);
                return header.Concat(new byte[40]).ToArray();
            };
            Assert.Equal("virtio-gpu: GET_DISPLAY_INFO: the device wrote 64 bytes of a 408-byte OK_DISPLAY_INFO response", truncated.TryStart().Error);
        }

        [Fact]
        public void AFenceAnsweredWithAnotherFenceIsAnError()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            sim.Answer = type =>
            {
                if (type != 0x104)
                {
                    return null;
                }

                byte[] response = SimGpuDevice.Header(0x1100);
                BinaryPrimitives.WriteUInt32LittleEndian(response.AsSpan(4), 1);
                BinaryPrimitives.WriteUInt64LittleEndian(response.AsSpan(8), 999);
                return response;
            };
            string? error = gpu.Flush(0, 0, 4, 4);
            Assert.NotNull(error);
            Assert.Matches(@"^virtio-gpu: RESOURCE_FLUSH: fence \d+ answered with fence 999$", error);
        }

        [Fact]
        public void ASilentDeviceGivesAnErrorInsteadOfAHang()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            sim.Silent = true;
            VirtioResult<VirtioGpuDevice> started = sim.TryStart(TimeSpan.Zero);
            Assert.Equal("virtio-gpu: GET_DISPLAY_INFO got no answer in 0 ms; the device is given up", started.Error);
        }

        [Fact]
        public void TheCursorIsAResourceOnTheControlQueueAndCommandsOnTheCursorQueue()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            sim.Commands.Clear();
            uint[] image = new uint[64 * 64];
            image[0] = 0xFF112233;
            Assert.Null(gpu.SetCursor(image, 3, 4));
            Assert.Equal(new uint[] { 0x101, 0x106, 0x105 }, sim.CommandTypes(0).ToArray());
            byte[] update = Assert.Single(sim.Commands, c => c.Queue == 1).Bytes;
            Assert.Equal(0x300u, BinaryPrimitives.ReadUInt32LittleEndian(update));
            Assert.Equal(56, update.Length);
            uint resource = BinaryPrimitives.ReadUInt32LittleEndian(update.AsSpan(40));
            Assert.Equal((3u, 4u), (BinaryPrimitives.ReadUInt32LittleEndian(update.AsSpan(44)), BinaryPrimitives.ReadUInt32LittleEndian(update.AsSpan(48))));
            Assert.Equal((64u, 64u, 1u), (sim.ResourceInfo(resource).Width, sim.ResourceInfo(resource).Height, sim.ResourceInfo(resource).Format));
            Assert.Equal(0xFF112233u, sim.HostPixels(resource)[0]);

            sim.Commands.Clear();
            Assert.Null(gpu.MoveCursor(100, 200));
            byte[] move = Assert.Single(sim.Commands).Bytes;
            Assert.Equal(0x301u, BinaryPrimitives.ReadUInt32LittleEndian(move));
            Assert.Equal((100u, 200u), (BinaryPrimitives.ReadUInt32LittleEndian(move.AsSpan(28)), BinaryPrimitives.ReadUInt32LittleEndian(move.AsSpan(32))));
            Assert.Throws<ArgumentException>(() => gpu.SetCursor(new uint[10], 0, 0));
        }

        [Fact]
        public void ADisplayEventIsClearedAndTheNewModeReplacesTheFramebuffer()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            uint first = sim.ScanoutResource;
            Assert.False(gpu.TakeModeChangeRequest());
            sim.RaiseDisplayEvent(800, 600);
            Assert.True(gpu.TakeModeChangeRequest());
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(sim.Device.Config.AsSpan(4))); // events_clear
            BinaryPrimitives.WriteUInt32LittleEndian(sim.Device.Config, 0); // the device clears events_read
            Assert.False(gpu.TakeModeChangeRequest());
            Assert.Null(gpu.ApplyPreferredMode());
            Assert.Equal((800, 600), (gpu.Width, gpu.Height));
            Assert.NotEqual(first, sim.ScanoutResource);
            Assert.False(sim.HasResource(first)); // detached and unreferenced
            Assert.Equal(800 * 600, gpu.Pixels.Length);
        }

        [Fact]
        public void PanMovesTheResourcesBackingToTheNewOriginAndSendsTheWholeScreen()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            Span<uint> all = gpu.VirtualPixels;
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = (uint)(((i / 1280) << 12) | (i % 1280));
            }

            ulong start = sim.ResourceInfo(sim.ScanoutResource).Backing;
            sim.Commands.Clear();
            sim.Flushes.Clear();
            Assert.Null(gpu.Pan(16, 800, 16));
            Assert.Equal(new uint[] { 0x107, 0x106, 0x105, 0x104 }, sim.CommandTypes().ToArray());
            (_, _, _, ulong backing, uint length) = sim.ResourceInfo(sim.ScanoutResource);
            Assert.Equal((start + (16UL * 1280 * 4), 1280u * 800 * 4), (backing, length));
            byte[] transfer = sim.Commands[2].Bytes;
            Assert.Equal(new uint[] { 0, 0, 1280, 800 }, Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(transfer.AsSpan(24 + (4 * i)))).ToArray());
            Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(transfer.AsSpan(40))); // QEMU's one-copy case
            Assert.Equal((0u, 0u, 1280u, 800u), sim.Flushes.Single());
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(sim.Commands[3].Bytes.AsSpan(4)) & 1); // fenced
            Assert.Equal((0u, 0u, 1280u, 800u), sim.ScanoutRect);
            Assert.Equal(16, gpu.PanOrigin);

            // The screen is framebuffer rows 16–815, and Pixels starts there.
            uint[] screen = sim.ScreenPixels();
            Assert.Equal(16u << 12, screen[0]);
            Assert.Equal((815u << 12) | 1279, screen[(799 * 1280) + 1279]);
            Assert.Equal((16u << 12) | 3, gpu.Pixels[3]);

            // Panning to where the screen is sends nothing; naming changed rows there sends the screen again.
            sim.Commands.Clear();
            Assert.Null(gpu.Pan(16, 0, 0));
            Assert.Empty(sim.Commands);
            Assert.Null(gpu.Pan(16, 100, 16));
            Assert.Equal(new uint[] { 0x105, 0x104 }, sim.CommandTypes().ToArray());
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void AfterAPanFlushesAreInScreenCoordinates()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            Assert.Null(gpu.Pan(32, 0, 0));
            gpu.Pixels[(20 * 1280) + 10] = 0x123456;
            Assert.Equal(0x123456u, gpu.VirtualPixels[(52 * 1280) + 10]);
            sim.Commands.Clear();
            sim.Flushes.Clear();
            Assert.Null(gpu.Flush(10, 20, 30, 40));
            byte[] transfer = sim.Commands[0].Bytes;
            Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(transfer.AsSpan(28)));
            Assert.Equal((ulong)((20 * 1280) + 10) * 4, BinaryPrimitives.ReadUInt64LittleEndian(transfer.AsSpan(40)));
            Assert.Equal((10u, 20u, 30u, 40u), sim.Flushes.Single());
            Assert.Equal(0x123456u, sim.ScreenPixels()[(20 * 1280) + 10]);
        }

        [Fact]
        public void APanOutsideTheFramebufferIsRefusedBeforeAnythingIsSent()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            sim.Commands.Clear();
            Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Pan(2401, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Pan(-16, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Pan(16, 3190, 20));
            Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Pan(16, -1, 20));
            Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Pan(16, 0, -1));
            Assert.Empty(sim.Commands);
            Assert.Null(gpu.Pan(2400, 0, 3200)); // the last screen
            Assert.Equal(2400, gpu.PanOrigin);
        }

        [Fact]
        public void ARefusedBackingKeepsTheOldOneSoFlushesStillWork()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            ulong start = sim.ResourceInfo(sim.ScanoutResource).Backing;
            bool refused = false;
            sim.Answer = type => type == 0x106 && !refused && (refused = true) ? SimGpuDevice.Header(0x1200) : null;
            Assert.Equal("virtio-gpu: RESOURCE_ATTACH_BACKING failed: the device answered ERR_UNSPEC", gpu.Pan(16, 800, 16));
            Assert.Equal(0, gpu.PanOrigin);
            Assert.Equal(start, sim.ResourceInfo(sim.ScanoutResource).Backing);
            Assert.Null(gpu.Flush(0, 0, 8, 8));
            Assert.Null(gpu.Pan(16, 800, 16));
            Assert.Equal(16, gpu.PanOrigin);
        }

        [Fact]
        public void TheFramebufferTakesFewerScreensWhenMemoryIsShortAndOneMeansNoPanning()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            sim.Rig.Memory.LargestAllocation = 2 * 1280 * 800 * 4;
            Assert.Equal(1600, sim.StartDriver().VirtualHeight);

            using SimGpuDevice small = SimGpuDevice.Create(SimLayout.PciModern);
            small.Rig.Memory.LargestAllocation = 1280 * 800 * 4;
            VirtioGpuDevice gpu = small.StartDriver();
            Assert.Equal(800, gpu.VirtualHeight);
            Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Pan(16, 0, 0));

            using SimGpuDevice none = SimGpuDevice.Create(SimLayout.PciModern);
            none.Rig.Memory.LargestAllocation = 1280 * 800 * 4 - 1;
            Assert.Equal("virtio-gpu: no DMA memory for a 1280x800 framebuffer (4000 KiB)", none.TryStart().Error);
        }

        [Fact]
        public void ALargeModeTakesTwoScreensNotFour()
        {
            // 2560×1600 is 16,000 KiB a screen: four would pass PanBytes (32 MiB), two are the least that pans.
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            sim.Edid = SimGpuDevice.MakeEdid(2560, 1600);
            Assert.Equal(3200, sim.StartDriver().VirtualHeight);
        }

        [Fact]
        public void AModeChangeStartsAgainAtTheTopOfANewFramebuffer()
        {
            using SimGpuDevice sim = SimGpuDevice.Create(SimLayout.PciModern);
            VirtioGpuDevice gpu = sim.StartDriver();
            Assert.Null(gpu.Pan(48, 0, 0));
            sim.RaiseDisplayEvent(800, 600);
            Assert.True(gpu.TakeModeChangeRequest());
            Assert.Null(gpu.ApplyPreferredMode());
            Assert.Equal((0, 2400), (gpu.PanOrigin, gpu.VirtualHeight));
            Assert.Equal((0u, 0u, 800u, 600u), sim.ScanoutRect);
            Assert.Equal(800 * 600, gpu.Pixels.Length);
        }

        [Fact]
        public void TooFewQueuesFailsStart()
        {
            var options = new SimOptions { DeviceType = 16, QueueCount = 1, ConfigLength = 16 };
            using SimRig rig = SimRig.Create(SimLayout.PciModern, options);
            VirtioResult<VirtioGpuDevice> started = VirtioGpuDevice.Start(rig.Transport, rig.Memory, new SimWaiter());
            Assert.Equal("virtio-gpu: device has 1 queues, a control and a cursor queue are needed", started.Error);
        }
    }
}
