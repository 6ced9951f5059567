using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.Drivers.VirtIO.Input;
using Cosmos.Drivers.VirtIO.Net;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Fuzz.Fakes;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Fuzz.Harnesses
{
    /// <summary>
    /// What a VirtIO device tells the driver: used-ring entries, configuration values, input events and received
    /// frames. A device is not trusted (§2.7.8): the documented outcome of a lie is a failed request, a broken queue
    /// with a sentence (<see cref="SplitVirtqueue.Error"/>), a dropped event or frame, or a failed <c>Start</c>
    /// (<see cref="VirtioResult"/>), never an exception, so no exception type is documented.
    /// </summary>
    internal static class VirtioHarnesses
    {
        // VirtIO 1.2 §5.1.3 feature bits of virtio-net the receive harness offers.
        private const ulong NetFeatureGuestChecksum = 1UL << 1;
        private const ulong NetFeatureMac = 1UL << 5;
        private const ulong NetFeatureMergeableBuffers = 1UL << 15;
        private const ulong NetFeatureStatus = 1UL << 16;

        public static IEnumerable<Harness> All()
        {
            yield return new Harness("virtqueue-used", "SplitVirtqueue against a device writing fuzzed used ids, lengths and used index, between submits, polls, interrupts and takes", VirtqueueUsed);
            yield return new Harness("virtio-config", "VirtioBlockDevice/VirtioNetDevice/VirtioInputDevice.Start on fuzzed feature bits and configuration space", Config);
            yield return new Harness("virtio-input", "VirtioInputDevice.TryReadEvent on fuzzed events and written lengths in the event queue", InputEvents);
            yield return new Harness("virtio-gpu", "VirtioGpuDevice.Start on fuzzed features, configuration and control-queue answers (display info, EDID, errors, fences, lengths), then flushes, mode changes, pans, cursor and display events", VirtioGpuHarness.Run);
            yield return new Harness("virtio-blk-io", "VirtioBlockDevice reads, writes, flushes and GET_ID, synchronous and asynchronous, completed with fuzzed status bytes, used lengths and ids, out of order and twice", VirtioBlockIoHarness.Run);
            yield return new Harness("virtio-net-rx", "VirtioNetDevice.TryReceive on fuzzed virtio-net headers, frames and written lengths in the receive queue", NetReceive);
        }

        /// <summary>
        /// Byte 0: ring features (bit 0 indirect, bit 1 event index) and queue size (bits 2-4: 2..256). Then operations,
        /// one byte each with operands: complete (used id, length), lie about the used index, poll, interrupt, take the
        /// next completion, take a given token, submit, notify, interrupts off/on.
        /// </summary>
        private static void VirtqueueUsed(byte[] input)
        {
            var cursor = new ByteCursor(input);
            byte setup = cursor.Byte();
            ulong features = VirtioFeatures.Version1 | VirtioFeatures.IndirectDescriptors | VirtioFeatures.EventIndex;
            var ring = (VirtqueueRingFeatures)(setup & 3);
            int size = 2 << ((setup >> 2) & 7);
            using var memory = new FuzzDmaAllocator();
            var transport = new FuzzVirtioTransport(VirtioDeviceType.Block, features, new byte[8], 1, size);
            var device = new VirtioDeviceInitializer(transport, memory, "virtio-fuzz");
            Check(device.NegotiateFeatures(0, ring));
            VirtioResult<SplitVirtqueue> created = device.CreateQueue(0, size);
            Check(created.WithoutValue());
            Check(device.Finish());
            SplitVirtqueue queue = created.Value;
            var deviceSide = new FuzzSplitRing(transport.Queues[0]!.Value, queue.Size, memory);
            DmaBuffer data = memory.Allocate(4096, 16);
            var inFlight = new List<int>();

            void Submit(int shape)
            {
                DmaBuffer a = data.Slice(64 * (shape & 7), 64), b = data.Slice(1024, 512), c = data.Slice(2048, 512);
                int token;
                if (shape % 3 == 2 && queue.Size < 5)
                {
                    return;   // Submit documents ArgumentException for a chain longer than the queue: the caller's error
                }

                VirtqueueSubmitStatus status = (shape % 3) switch
                {
                    0 => queue.Submit([a], [], out token),
                    1 => queue.Submit([a], [b], out token),
                    _ => queue.Submit([a, a, a], [b, c], out token),
                };
                if (status == VirtqueueSubmitStatus.Submitted)
                {
                    inFlight.Add(token);
                }
            }

            for (int i = 0; i < 3; i++)
            {
                Submit(i);
            }

            queue.NotifyDevice();
            for (int operations = 0; cursor.More && operations < 1000; operations++)
            {
                switch (cursor.Byte() % 10)
                {
                    case 0:
                        deviceSide.PutUsed(cursor.UInt16(), cursor.UInt32());
                        break;
                    case 1:
                        deviceSide.PublishUsedIndex(cursor.UInt16());
                        break;
                    case 2:
                        queue.Poll();
                        break;
                    case 3:
                        queue.HandleInterrupt();
                        break;
                    case 4:
                        if (queue.TryTakeNextCompletion(out VirtqueueCompletion next))
                        {
                            inFlight.Remove(next.Token);
                        }

                        break;
                    case 5:
                        if (inFlight.Count > 0)
                        {
                            int token = inFlight[cursor.Byte() % inFlight.Count];
                            if (queue.TryTakeCompletion(token, out _))
                            {
                                inFlight.Remove(token);
                            }
                        }

                        break;
                    case 6:
                        Submit(cursor.Byte());
                        break;
                    case 7:
                        queue.NotifyDevice();
                        break;
                    case 8:
                        queue.DisableInterrupts();
                        break;
                    default:
                        queue.EnableInterrupts(1 + (cursor.Byte() % queue.Size));   // documented range 1..Size
                        break;
                }
            }

            // Whatever the device did, every request must come back, completed or failed, and nothing may throw.
            while (queue.TryTakeNextCompletion(out VirtqueueCompletion completion))
            {
                inFlight.Remove(completion.Token);
            }

            if (!queue.IsBroken && queue.FreeDescriptorCount > queue.Size)
            {
                throw new FuzzFindingException($"queue of {queue.Size} has {queue.FreeDescriptorCount} free descriptors");
            }
        }

        /// <summary>Byte 0: which driver; bytes 1-3: device-specific feature bits 0-23; the rest: the configuration space.</summary>
        private static void Config(byte[] input)
        {
            if (input.Length < 4)
            {
                return;
            }

            ulong features = VirtioFeatures.Version1 | input[1] | ((ulong)input[2] << 8) | ((ulong)input[3] << 16);
            byte[] config = input.AsSpan(4, Math.Min(input.Length - 4, 256)).ToArray();
            using var memory = new FuzzDmaAllocator();
            switch (input[0] % 3)
            {
                case 0:
                    {
                        var transport = new FuzzVirtioTransport(VirtioDeviceType.Block, features, config, 1, 128);
                        VirtioResult<VirtioBlockDevice> started = VirtioBlockDevice.Start(transport, memory, new BoundedWaiter());
                        if (started.IsSuccess)
                        {
                            VirtioBlockDevice disk = started.Value;
                            if (disk.BlockSize <= 0 || disk.BlockSize % 512 != 0 || disk.MaxTransferBytes < disk.BlockSize || disk.QueueDepth < 1)
                            {
                                throw new FuzzFindingException($"virtio-blk started with block size {disk.BlockSize}, max transfer {disk.MaxTransferBytes}, depth {disk.QueueDepth}");
                            }
                        }

                        break;
                    }

                case 1:
                    {
                        var transport = new FuzzVirtioTransport(VirtioDeviceType.Network, features, config, 2, 256);
                        VirtioResult<VirtioNetDevice> started = VirtioNetDevice.Start(transport, memory, 16);
                        if (started.IsSuccess)
                        {
                            VirtioNetDevice nic = started.Value;
                            _ = nic.Summary;
                            _ = nic.IsLinkUp;
                            if (nic.Mtu < 68 || nic.MaxFrameLength < nic.Mtu)
                            {
                                throw new FuzzFindingException($"virtio-net started with MTU {nic.Mtu}, max frame {nic.MaxFrameLength}");
                            }
                        }

                        break;
                    }

                default:
                    {
                        // virtio-input answers each select/subsel with the next slice of the input (§5.8.5.1).
                        var transport = new FuzzVirtioTransport(VirtioDeviceType.Input, features, new byte[136], 2, 64);
                        int next = 4;
                        transport.ConfigWritten = (offset, value) =>
                        {
                            if (offset != 1)
                            {
                                return;
                            }

                            int take = Math.Min(129, input.Length - next);
                            Array.Clear(transport.Config, 2, transport.Config.Length - 2);
                            if (take > 0)
                            {
                                transport.Config[2] = input[next];
                                input.AsSpan(next + 1, take - 1).CopyTo(transport.Config.AsSpan(8));
                                next += take;
                            }
                        };
                        VirtioResult<VirtioInputDevice> started = VirtioInputDevice.Start(transport, memory);
                        if (started.IsSuccess)
                        {
                            _ = started.Value.Summary("input0");
                            _ = started.Value.GetAxisRange(0);
                        }

                        break;
                    }
            }
        }

        /// <summary>A keyboard and tablet (keys, relative and absolute axes 0..32767); each record is a 4-byte written length and the event bytes.</summary>
        private static void InputEvents(byte[] input)
        {
            using var memory = new FuzzDmaAllocator();
            var transport = new FuzzVirtioTransport(VirtioDeviceType.Input, VirtioFeatures.Version1, new byte[136], 2, 64);
            transport.ConfigWritten = (offset, value) =>
            {
                if (offset == 1)
                {
                    AnswerInputSelect(transport.Config);
                }
            };
            VirtioResult<VirtioInputDevice> started = VirtioInputDevice.Start(transport, memory);
            if (!started.IsSuccess)
            {
                throw new FuzzFindingException($"the harness's virtio-input device did not start: {started.Error}");
            }

            VirtioInputDevice keyboard = started.Value;
            var events = new FuzzSplitRing(transport.Queues[0]!.Value, 64, memory);
            foreach (byte[] record in InputReader.LengthPrefixed(input, 256))
            {
                int head = events.TakeAvailable();
                if (head < 0 || record.Length < 4)
                {
                    break;
                }

                Span<byte> buffer = events.Buffer(head, out _);
                record.AsSpan(4, Math.Min(record.Length - 4, buffer.Length)).CopyTo(buffer);
                events.PutUsed((uint)head, BinaryPrimitives.ReadUInt32LittleEndian(record));
                while (keyboard.TryReadEvent(out _))
                {
                }
            }

            keyboard.SetLeds(KeyboardLeds.CapsLock);
        }

        // §5.8.5.1 answers for a device with names, EV_KEY/EV_REL/EV_ABS bits and two absolute axes.
        private static void AnswerInputSelect(byte[] config)
        {
            byte select = config[0], subsel = config[1];
            Array.Clear(config, 2, config.Length - 2);
            Span<byte> union = config.AsSpan(8);
            int size = 0;
            if (select == 0x01)
            {
                size = "fuzz keyboard"u8.Length;
                "fuzz keyboard"u8.CopyTo(union);
            }
            else if (select == 0x11 && (subsel == 1 || subsel == 2 || subsel == 3 || subsel == 0x11))
            {
                size = subsel == 1 ? 96 : 8;
                union[..size].Fill(0xFF);
            }
            else if (select == 0x12 && subsel <= 1)
            {
                size = 20;
                BinaryPrimitives.WriteInt32LittleEndian(union[4..], 32767);
            }

            config[2] = (byte)size;
        }

        /// <summary>Each record is a 4-byte written length and what the device put in the receive buffer (virtio-net header, then the frame).</summary>
        private static void NetReceive(byte[] input)
        {
            using var memory = new FuzzDmaAllocator();
            byte[] config = new byte[12];
            config[0] = 0x02;
            config[5] = 0x01;
            config[6] = 1;   // status: link up
            ulong features = VirtioFeatures.Version1 | NetFeatureMac | NetFeatureStatus;
            if (input.Length > 0 && (input[0] & 1) != 0)
            {
                features |= NetFeatureMergeableBuffers | NetFeatureGuestChecksum;
            }

            var transport = new FuzzVirtioTransport(VirtioDeviceType.Network, features, config, 2, 16);
            VirtioResult<VirtioNetDevice> started = VirtioNetDevice.Start(transport, memory, 16);
            if (!started.IsSuccess)
            {
                throw new FuzzFindingException($"the harness's virtio-net device did not start: {started.Error}");
            }

            VirtioNetDevice nic = started.Value;
            var receive = new FuzzSplitRing(transport.Queues[0]!.Value, 16, memory);
            byte[] frame = new byte[nic.MaxFrameLength];
            foreach (byte[] record in InputReader.LengthPrefixed(input.Length > 0 ? input[1..] : input, 256))
            {
                int head = receive.TakeAvailable();
                if (head < 0 || record.Length < 4)
                {
                    break;
                }

                Span<byte> buffer = receive.Buffer(head, out _);
                record.AsSpan(4, Math.Min(record.Length - 4, buffer.Length)).CopyTo(buffer);
                receive.PutUsed((uint)head, BinaryPrimitives.ReadUInt32LittleEndian(record));
                while (nic.TryReceive(frame, out _) > 0)
                {
                }
            }
        }

        private static void Check(VirtioResult result)
        {
            if (!result.IsSuccess)
            {
                throw new FuzzFindingException($"the harness's own device setup failed: {result.Error}");
            }
        }

        /// <summary>Polls a bounded number of times: the harness's device never completes block requests.</summary>
        private sealed class BoundedWaiter : ICompletionWaiter
        {
            public void WaitUntil(Func<bool> isDone, bool interruptDriven)
            {
                for (int i = 0; i < 100 && !isDone(); i++)
                {
                }
            }
        }
    }
}
