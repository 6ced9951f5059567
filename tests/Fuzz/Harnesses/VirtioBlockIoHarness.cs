using System;
using System.Collections.Generic;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.Fuzz.Fakes;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Fuzz.Harnesses
{
    /// <summary>
    /// virtio-blk's data path (VirtIO 1.2 §5.2.6) against a device that completes requests as the fuzzer's script says
    /// (<see cref="FuzzBlockDevice"/>): any status byte, used length and used id, out of order, twice, late or never.
    /// The driver documents that a device error or a lying completion fails that request (IoError, Unsupported or
    /// DeviceFailed), never throws, and a silent device fails the disk after <see cref="VirtioBlockDevice.RequestTimeout"/>.
    /// Checked besides: a read reported Ok holds exactly what the device delivered; a write reported Ok is on the disk;
    /// the caller's memory around a request is never touched; no request is left outstanding on a working disk.
    /// </summary>
    internal static class VirtioBlockIoHarness
    {
        /// <summary>The size of one operation in the input: kind, first block, block count, extra.</summary>
        public const int OperationLength = 4;

        private const int DiskBlocks = 256;
        private const int Guard = 64;
        private const byte GuardByte = 0xA5, Untouched = 0x5A;

        // §5.2.3 feature bits.
        private const ulong FeatureSizeMax = 1UL << 1, FeatureSegMax = 1UL << 2, FeatureReadOnly = 1UL << 5,
            FeatureBlockSize = 1UL << 6, FeatureFlush = 1UL << 9;

        private sealed record AsyncRead(int Ticket, DmaBuffer Buffer);

        /// <summary>
        /// Byte 0: bit 0 indirect descriptors and event index, bit 1 4096-byte blocks, bit 2 FLUSH, bit 3 read-only,
        /// bits 4-5 SEG_MAX (1, 2, 3, 8), bits 6-7 the queue's maximum size (8, 16, 32, 128). Byte 1: bit 0 SIZE_MAX
        /// (1024 bytes, or 4096 with 4096-byte blocks). Byte 2: operation count (0-23), then the operations (<see cref="OperationLength"/> bytes each). The
        /// rest: the device's script.
        /// </summary>
        public static void Run(byte[] input)
        {
            if (input.Length < 3)
            {
                return;
            }

            byte setup = input[0];
            int blockSize = (setup & 2) != 0 ? 4096 : 512;
            ulong features = VirtioFeatures.Version1 | FeatureSegMax | FeatureBlockSize
                | ((setup & 1) != 0 ? VirtioFeatures.IndirectDescriptors | VirtioFeatures.EventIndex : 0)
                | ((setup & 4) != 0 ? FeatureFlush : 0)
                | ((setup & 8) != 0 ? FeatureReadOnly : 0)
                | ((input[1] & 1) != 0 ? FeatureSizeMax : 0);
            byte[] config = new byte[60];
            BitConverter.TryWriteBytes(config.AsSpan(0), (ulong)DiskBlocks * (ulong)(blockSize / 512));
            BitConverter.TryWriteBytes(config.AsSpan(8), blockSize == 512 ? 1024u : 4096u);   // one segment carries a block
            BitConverter.TryWriteBytes(config.AsSpan(12), new uint[] { 1, 2, 3, 8 }[(setup >> 4) & 3]);
            BitConverter.TryWriteBytes(config.AsSpan(20), (uint)blockSize);
            int queueSize = new[] { 8, 16, 32, 128 }[setup >> 6];
            int operations = input[2] % 24;
            int scriptAt = Math.Min(input.Length, 3 + (operations * OperationLength));

            using var memory = new FuzzDmaAllocator(64L << 20);
            var transport = new FuzzVirtioTransport(VirtioDeviceType.Block, features, config, 1, queueSize);
            var device = new FuzzBlockDevice(transport, memory, DiskBlocks * blockSize, new ByteCursor(input, scriptAt));
            VirtioResult<VirtioBlockDevice> started = VirtioBlockDevice.Start(transport, memory, new ServingWaiter(device.Serve));
            if (!started.IsSuccess)
            {
                throw new FuzzFindingException($"the harness's virtio-blk device did not start: {started.Error}");
            }

            VirtioBlockDevice disk = started.Value;
            disk.RequestTimeout = TimeSpan.FromMilliseconds(20);
            var reads = new List<AsyncRead>();
            var cursor = new ByteCursor(input, 3);
            for (int i = 0; i < operations; i++)
            {
                Operate(disk, device, memory, reads, cursor.Byte(), cursor.Byte(), cursor.Byte(), cursor.Byte());
            }

            while (reads.Count > 0)
            {
                Collect(disk, device, reads, 0, wait: true);
            }

            if (!disk.IsFailed && disk.QueueError is null && disk.RequestsOutstanding != 0)
            {
                throw new FuzzFindingException($"every ticket was collected, {disk.RequestsOutstanding} requests are still outstanding");
            }
        }

        private static void Operate(VirtioBlockDevice disk, FuzzBlockDevice device, FuzzDmaAllocator memory, List<AsyncRead> reads, byte kind, byte block, byte count, byte extra)
        {
            int bs = disk.BlockSize;
            ulong first = block % (ulong)DiskBlocks;
            int blocks = (int)Math.Min(1 + (count % 16), DiskBlocks - (int)first);
            switch (kind % 10)
            {
                case 0:
                case 1:
                    {
                        // The caller's buffer with guards either side: managed (bounced) or DMA memory (handed to the device).
                        bool direct = kind % 10 == 1;
                        DmaBuffer dma = direct ? memory.Allocate((blocks * bs) + (2 * Guard), 16) : default;
                        Span<byte> whole = direct ? dma.Span : new byte[(blocks * bs) + (2 * Guard)];
                        whole.Fill(GuardByte);
                        Span<byte> into = whole.Slice(Guard, blocks * bs);
                        into.Fill(Untouched);
                        BlockResult result = extra % 2 == 0 ? disk.Read(first, into) : disk.ReadMany(first, into, 1 + (extra % 8));
                        CheckGuards(whole, "read");
                        if (result == BlockResult.Ok && !into.SequenceEqual(device.Disk.AsSpan((int)first * bs, blocks * bs)))
                        {
                            throw new FuzzFindingException($"read of {blocks} blocks at {first} ({(direct ? "direct" : "bounced")}) reported Ok with bytes the disk does not hold");
                        }

                        CheckResult(result, "read");
                        if (direct)
                        {
                            memory.Free(dma);
                        }

                        break;
                    }

                case 2:
                case 3:
                    {
                        bool direct = kind % 10 == 3;
                        DmaBuffer dma = direct ? memory.Allocate(blocks * bs, 16) : default;
                        Span<byte> source = direct ? dma.Span : new byte[blocks * bs];
                        for (int i = 0; i < source.Length; i++)
                        {
                            source[i] = (byte)(extra + (i * 13));
                        }

                        byte[] before = source.ToArray();
                        BlockResult result = disk.Write(first, source);
                        if (!source.SequenceEqual(before))
                        {
                            throw new FuzzFindingException("a write changed the caller's source buffer");
                        }

                        if (result == BlockResult.Ok && !device.Disk.AsSpan((int)first * bs, blocks * bs).SequenceEqual(before))
                        {
                            throw new FuzzFindingException($"write of {blocks} blocks at {first} reported Ok, the disk does not hold them");
                        }

                        if (disk.IsReadOnly && result != BlockResult.ReadOnly)
                        {
                            throw new FuzzFindingException($"a write to a read-only disk gave {result}");
                        }

                        CheckResult(result, "write");
                        if (direct)
                        {
                            memory.Free(dma);
                        }

                        break;
                    }

                case 4:
                    CheckResult(disk.Flush(), "flush");
                    break;
                case 5:
                    {
                        string? id = disk.GetId();
                        if (id is not null && id != FuzzBlockDevice.Serial)
                        {
                            throw new FuzzFindingException($"GET_ID gave \"{id}\", the device wrote \"{FuzzBlockDevice.Serial}\"");
                        }

                        break;
                    }

                case 6:
                    {
                        // One slot stays free for the synchronous calls (they throw when the caller holds every slot).
                        int most = Math.Max(1, disk.MaxTransferBytes / bs);
                        if (reads.Count >= disk.QueueDepth - 1)
                        {
                            break;
                        }

                        DmaBuffer buffer = memory.Allocate(Math.Min(blocks, most) * bs, 16);
                        buffer.Span.Fill(Untouched);
                        if (disk.SubmitRead(first, buffer, out int ticket) == VirtioBlockSubmitStatus.Submitted)
                        {
                            reads.Add(new AsyncRead(ticket, buffer));
                        }
                        else
                        {
                            memory.Free(buffer);
                        }

                        break;
                    }

                case 7:
                    if (reads.Count > 0)
                    {
                        Collect(disk, device, reads, extra % reads.Count, wait: (extra & 0x80) != 0);
                    }

                    break;
                case 8:
                    device.Serve();
                    break;
                default:
                    _ = disk.BlockCount;
                    _ = disk.RequestsOutstanding;
                    break;
            }
        }

        // A read collected Ok holds what the device delivered into that buffer, all of it.
        private static void Collect(VirtioBlockDevice disk, FuzzBlockDevice device, List<AsyncRead> reads, int index, bool wait)
        {
            AsyncRead read = reads[index];
            BlockResult result;
            if (wait)
            {
                result = disk.Complete(read.Ticket);
            }
            else if (!disk.TryComplete(read.Ticket, out result))
            {
                return;
            }

            reads.RemoveAt(index);
            if (result == BlockResult.Ok
                && (!device.Delivered.TryGetValue(read.Buffer.PhysicalAddress, out byte[]? delivered) || !read.Buffer.Span.SequenceEqual(delivered)))
            {
                throw new FuzzFindingException($"an asynchronous read of {read.Buffer.Length} bytes was collected Ok with bytes the device did not deliver");
            }

            CheckResult(result, "asynchronous read");
        }

        private static void CheckGuards(ReadOnlySpan<byte> whole, string what)
        {
            int before = whole[..Guard].IndexOfAnyExcept(GuardByte), after = whole[^Guard..].IndexOfAnyExcept(GuardByte);
            if (before >= 0 || after >= 0)
            {
                throw new FuzzFindingException(before >= 0
                    ? $"a {what} wrote 0x{whole[before]:x2} {Guard - before} bytes before the caller's buffer"
                    : $"a {what} wrote 0x{whole[whole.Length - Guard + after]:x2} {after + 1} bytes after the caller's buffer");
            }
        }

        private static void CheckResult(BlockResult result, string what)
        {
            if (result is not (BlockResult.Ok or BlockResult.IoError or BlockResult.Unsupported or BlockResult.ReadOnly or BlockResult.DeviceFailed))
            {
                throw new FuzzFindingException($"a {what} gave {result}, which IBlockDevice does not define");
            }
        }
    }
}
