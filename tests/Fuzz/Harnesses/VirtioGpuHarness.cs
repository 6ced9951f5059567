using System;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Gpu;
using Cosmos.Fuzz.Fakes;

namespace Cosmos.Fuzz.Harnesses
{
    /// <summary>
    /// virtio-gpu (VirtIO 1.2 §5.7) against a device whose features, configuration and every control-queue answer the
    /// fuzzer chose: <see cref="VirtioGpuDevice.Start"/> (GET_DISPLAY_INFO, GET_EDID and <see cref="EdidPreferredMode"/>,
    /// the framebuffer's resource, backing, scanout, transfer and fenced flush), then what the kernel does with a
    /// display: flushes, mode changes, pans, the cursor, display-change events. A lie is a failed call with a sentence,
    /// never an exception; the harness also checks that a flush the device did not honestly answer is not reported
    /// done, that a mode set is the mode in use, and that the framebuffer lies in the driver's DMA memory.
    /// </summary>
    internal static class VirtioGpuHarness
    {
        /// <summary>The size of one operation in the input: a kind byte and four le16 operands.</summary>
        public const int OperationLength = 9;

        // Framebuffers past this fail to allocate, as DMA memory runs out in the kernel (a 16384x16384 mode is 1 GiB).
        private const long DmaLimit = 64L << 20;

        /// <summary>
        /// Bytes 0-1: device feature bits 0-15 (bit 1 EDID; bit 15 also offers indirect descriptors and event index).
        /// Byte 2: configuration length (bits 0-4; 16 is the whole §5.7.4 structure), one queue only when bit 5 is set.
        /// Bytes 3-18: events_read, events_clear, num_scanouts, num_capsets. Byte 19: operation count (0-15), then the
        /// operations (<see cref="OperationLength"/> bytes each). The rest: one answer record per command (see
        /// <see cref="FuzzGpuDevice"/>), 2-byte big-endian length first (<see cref="InputReader"/>).
        /// </summary>
        public static void Run(byte[] input)
        {
            if (input.Length < 20)
            {
                return;
            }

            ulong features = VirtioFeatures.Version1 | input[0] | ((ulong)input[1] << 8);
            if ((input[1] & 0x80) != 0)
            {
                features |= VirtioFeatures.IndirectDescriptors | VirtioFeatures.EventIndex;
            }

            byte[] config = new byte[input[2] & 31];
            input.AsSpan(3, Math.Min(16, config.Length)).CopyTo(config);
            int operations = input[19] % 16;
            int answersAt = Math.Min(input.Length, 20 + (operations * OperationLength));
            using var memory = new FuzzDmaAllocator(DmaLimit);
            var transport = new FuzzVirtioTransport(VirtioDeviceType.Gpu, features, config, (input[2] & 0x20) != 0 ? 1 : 2, 64);
            var device = new FuzzGpuDevice(transport, memory, InputReader.LengthPrefixed(input[answersAt..], 128));
            var waiter = new ServingWaiter(device.Serve);

            // A command timeout of 0: a device that is silent when the driver looks has missed its deadline.
            VirtioResult<VirtioGpuDevice> started = VirtioGpuDevice.Start(transport, memory, waiter, TimeSpan.Zero);
            if (!started.IsSuccess)
            {
                return;
            }

            VirtioGpuDevice gpu = started.Value;
            CheckFramebuffer(gpu, memory, "Start");
            _ = gpu.Summary("fb0");
            var cursor = new ByteCursor(input, 20);
            for (int i = 0; i < operations; i++)
            {
                Operate(gpu, transport, device, memory, cursor.Byte(), cursor.UInt16(), cursor.UInt16(), cursor.UInt16(), cursor.UInt16());
            }
        }

        private static void Operate(VirtioGpuDevice gpu, FuzzVirtioTransport transport, FuzzGpuDevice device, FuzzDmaAllocator memory, byte kind, ushort a, ushort b, ushort c, ushort d)
        {
            switch (kind % 8)
            {
                case 0:
                    {
                        // Two commands (TRANSFER_TO_HOST_2D, fenced RESOURCE_FLUSH) unless the rectangle is off the screen.
                        int lies = device.DishonestAnswers, commands = device.Commands;
                        string? error = gpu.Flush((short)a, (short)b, (short)c, (short)d);
                        if (error is null && device.DishonestAnswers != lies)
                        {
                            throw new FuzzFindingException($"Flush({(short)a}, {(short)b}, {(short)c}, {(short)d}) reported done, but {device.DishonestAnswers - lies} of its {device.Commands - commands} commands were not answered honestly");
                        }

                        break;
                    }

                case 1:
                    {
                        int width = 1 + (a % 16384), height = 1 + (b % 16384);
                        if (gpu.SetMode(width, height) is null && (gpu.Width != width || gpu.Height != height))
                        {
                            throw new FuzzFindingException($"SetMode({width}, {height}) reported done, the mode is {gpu.Width}x{gpu.Height}");
                        }

                        CheckFramebuffer(gpu, memory, "SetMode");
                        break;
                    }

                case 2:
                    {
                        // Pan documents ArgumentOutOfRangeException for rows outside the framebuffer: the caller's error.
                        int origin = a % (gpu.VirtualHeight - gpu.Height + 1);
                        int rows = c % (gpu.VirtualHeight + 1);
                        int top = d % (gpu.VirtualHeight - rows + 1);
                        if (gpu.Pan(origin, top, rows) is null && gpu.PanOrigin != origin)
                        {
                            throw new FuzzFindingException($"Pan({origin}) reported done, the origin is {gpu.PanOrigin}");
                        }

                        break;
                    }

                case 3:
                    {
                        uint[] image = new uint[gpu.CursorSize * gpu.CursorSize];
                        image.AsSpan().Fill((uint)(a | (b << 16)));
                        _ = gpu.SetCursor(image, c % gpu.CursorSize, d % gpu.CursorSize);
                        break;
                    }

                case 4:
                    _ = gpu.MoveCursor((short)a, (short)b);
                    break;
                case 5:
                    // The device raises a display event (§5.7.4.2); the kernel asks and applies the preferred mode.
                    if (transport.Config.Length >= 4)
                    {
                        BitConverter.TryWriteBytes(transport.Config.AsSpan(0, 4), (uint)(a | (b << 16)));
                    }

                    if (gpu.TakeModeChangeRequest())
                    {
                        _ = gpu.ApplyPreferredMode();
                        CheckFramebuffer(gpu, memory, "ApplyPreferredMode");
                    }

                    break;
                case 6:
                    {
                        VirtioResult<VirtioGpuDisplayMode> mode = gpu.QueryPreferredMode();
                        if (mode.IsSuccess && (mode.Value.Width is < 1 or > 16384 || mode.Value.Height is < 1 or > 16384 || mode.Value.Scanout is < 0 or >= 16))
                        {
                            throw new FuzzFindingException($"QueryPreferredMode gave {mode.Value}");
                        }

                        break;
                    }

                default:
                    _ = gpu.ApplyPreferredMode();
                    CheckFramebuffer(gpu, memory, "ApplyPreferredMode");
                    break;
            }
        }

        // The screen the kernel draws into must be the driver's DMA memory, one mode high at least.
        private static unsafe void CheckFramebuffer(VirtioGpuDevice gpu, FuzzDmaAllocator memory, string after)
        {
            if (gpu.Width is < 1 or > 16384 || gpu.Height is < 1 or > 16384 || gpu.VirtualHeight < gpu.Height)
            {
                throw new FuzzFindingException($"after {after} the mode is {gpu.Width}x{gpu.Height}, {gpu.VirtualHeight} rows of framebuffer");
            }

            Span<uint> pixels = gpu.VirtualPixels;
            fixed (uint* first = pixels)
            {
                if (!memory.Contains((ulong)first, (long)pixels.Length * 4))
                {
                    throw new FuzzFindingException($"after {after} the framebuffer (0x{(ulong)first:x}, {pixels.Length} pixels) is not the driver's DMA memory");
                }
            }
        }
    }
}
