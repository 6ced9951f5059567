using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A virtio-blk device (VirtIO 1.2 §5.2) over a <see cref="SimRig"/>: a backing byte array,
    /// configuration with capacity and limits, and request handling for IN, OUT, FLUSH, GET_ID,
    /// DISCARD and WRITE_ZEROES. Requests that break the driver's side of §5.2.6 (header, status,
    /// SEG_MAX, SIZE_MAX, a write to a read-only disk) are recorded as violations. Tests inject
    /// errors and lies through <see cref="StatusFor"/>, <see cref="LengthFor"/> and <see cref="LeaveStatusUnwritten"/>.
    /// </summary>
    internal sealed class SimBlockDevice : IDisposable
    {
        public const ulong FeatureSizeMax = 1UL << 1;
        public const ulong FeatureSegMax = 1UL << 2;
        public const ulong FeatureReadOnly = 1UL << 5;
        public const ulong FeatureBlockSize = 1UL << 6;
        public const ulong FeatureFlush = 1UL << 9;
        public const ulong FeatureDiscard = 1UL << 13;
        public const ulong FeatureWriteZeroes = 1UL << 14;

        public const ulong AllFeatures = SimDevice.FeatureVersion1 | SimDevice.FeatureIndirect | SimDevice.FeatureEventIndex
            | FeatureSizeMax | FeatureSegMax | FeatureBlockSize | FeatureFlush | FeatureDiscard | FeatureWriteZeroes;

        public const uint TypeIn = 0, TypeOut = 1, TypeFlush = 4, TypeGetId = 8, TypeDiscard = 11, TypeWriteZeroes = 13;

        private SimBlockDevice(SimRig rig, byte[] disk, uint segMax, uint sizeMax)
        {
            Rig = rig;
            Disk = disk;
            SegMax = segMax;
            SizeMax = sizeMax;
        }

        public SimRig Rig { get; }

        public byte[] Disk { get; }

        public uint SegMax { get; }

        public uint SizeMax { get; }

        public string Serial { get; set; } = "sim-disk-0001";

        public SimDevice Device => Rig.Device;

        public SimQueue Queue => Rig.Device.Queues[0];

        /// <summary>Every request handled, in order.</summary>
        public List<SimBlockRequest> Requests { get; } = new();

        /// <summary>The status byte for a request (null: the honest one).</summary>
        public Func<SimBlockRequest, byte?>? StatusFor { get; set; }

        /// <summary>The used length reported for a request, given the honest one (a lying device).</summary>
        public Func<SimBlockRequest, uint, uint>? LengthFor { get; set; }

        /// <summary>Completes requests without writing their status byte (a lying device).</summary>
        public Func<SimBlockRequest, bool>? LeaveStatusUnwritten { get; set; }

        /// <summary>
        /// A disk of <paramref name="sectors"/> 512-byte sectors filled with a pattern, on
        /// <paramref name="layout"/>, offering <paramref name="features"/>.
        /// </summary>
        public static SimBlockDevice Create(
            SimLayout layout,
            ulong sectors = 2048,
            ulong features = AllFeatures,
            uint blockSize = 512,
            uint segMax = 16,
            uint sizeMax = 8192,
            uint maxDiscardSectors = 64,
            uint maxWriteZeroesSectors = 64,
            InterruptMode interrupts = InterruptMode.MsiX,
            int queueSize = 128)
        {
            var options = new SimOptions
            {
                DeviceType = 2,
                Features = features,
                QueueCount = 1,
                MaxQueueSize = queueSize,
                ConfigLength = 64,
                Interrupts = interrupts,
            };
            SimRig rig = SimRig.Create(layout, options);
            var disk = new byte[sectors * 512];
            for (int i = 0; i < disk.Length; i++)
            {
                disk[i] = (byte)((i * 31) ^ (i >> 9));
            }

            var device = new SimBlockDevice(rig, disk, segMax, sizeMax);
            byte[] config = rig.Device.Config;
            BinaryPrimitives.WriteUInt64LittleEndian(config, sectors);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(8), sizeMax);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(12), segMax);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(20), blockSize);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(36), maxDiscardSectors);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(40), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(44), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(48), maxWriteZeroesSectors);
            BinaryPrimitives.WriteUInt32LittleEndian(config.AsSpan(52), 1);
            return device;
        }

        /// <summary>The pattern a fresh disk holds at <paramref name="offset"/>.</summary>
        public static byte Pattern(int offset) => (byte)((offset * 31) ^ (offset >> 9));

        public void Dispose() => Rig.Dispose();

        /// <summary>Starts the driver on this disk; the queue's reset (during initialisation) drops any handler, so ours goes in after.</summary>
        public VirtioBlockDevice StartDriver(SimWaiter waiter)
        {
            VirtioResult<VirtioBlockDevice> started = VirtioBlockDevice.Start(Rig.Transport, Rig.Memory, waiter);
            Assert.True(started.IsSuccess, started.Error);
            Queue.Handler = Handle;
            waiter.Idle ??= () => Queue.ProcessAll();
            return started.Value;
        }

        private uint Handle(SimRequest request)
        {
            var segments = request.Segments;
            var parsed = new SimBlockRequest(request);
            Requests.Add(parsed);
            if (segments.Count < 2 || segments[0].Writable || segments[0].Length != 16)
            {
                Device.Violation($"virtio-blk request {request.Head}: the first buffer is not a 16-byte readable header");
                return 0;
            }

            SimSegment statusSegment = segments[^1];
            if (!statusSegment.Writable || statusSegment.Length != 1)
            {
                Device.Violation($"virtio-blk request {request.Head}: the last buffer is not a 1-byte writable status");
                return 0;
            }

            Span<byte> header = Device.Memory.DeviceView(segments[0].Address, 16);
            parsed.Type = BinaryPrimitives.ReadUInt32LittleEndian(header);
            parsed.Sector = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            List<SimSegment> data = segments.GetRange(1, segments.Count - 2);
            parsed.DataSegments = data.Count;
            foreach (SimSegment segment in data)
            {
                parsed.DataBytes += segment.Length;
                if ((Device.DriverFeatures & FeatureSizeMax) != 0 && segment.Length > SizeMax)
                {
                    Device.Violation($"virtio-blk request {request.Head}: segment of {segment.Length} bytes over SIZE_MAX {SizeMax}");
                }
            }

            if ((Device.DriverFeatures & FeatureSegMax) != 0 && data.Count > SegMax)
            {
                Device.Violation($"virtio-blk request {request.Head}: {data.Count} segments over SEG_MAX {SegMax}");
            }

            byte status = Execute(parsed, data, out uint written);
            byte? forced = StatusFor?.Invoke(parsed);
            status = forced ?? status;
            parsed.Status = status;
            if (LeaveStatusUnwritten?.Invoke(parsed) != true)
            {
                Device.Memory.DeviceView(statusSegment.Address, 1)[0] = status;
            }

            uint length = written + 1;
            return LengthFor?.Invoke(parsed, length) ?? length;
        }

        private byte Execute(SimBlockRequest request, List<SimSegment> data, out uint written)
        {
            written = 0;
            bool readOnly = (Device.DriverFeatures & FeatureReadOnly) != 0;
            ulong offset = request.Sector * 512;
            switch (request.Type)
            {
                case TypeIn:
                    if (offset + request.DataBytes > (ulong)Disk.Length || data.Exists(s => !s.Writable))
                    {
                        return 1;
                    }

                    foreach (SimSegment segment in data)
                    {
                        Disk.AsSpan((int)offset, (int)segment.Length).CopyTo(Device.Memory.DeviceView(segment.Address, (int)segment.Length));
                        offset += segment.Length;
                        written += segment.Length;
                    }

                    return 0;
                case TypeOut:
                    if (readOnly)
                    {
                        Device.Violation("virtio-blk: a write to a read-only disk");
                        return 1;
                    }

                    if (offset + request.DataBytes > (ulong)Disk.Length || data.Exists(s => s.Writable))
                    {
                        return 1;
                    }

                    foreach (SimSegment segment in data)
                    {
                        Device.Memory.DeviceView(segment.Address, (int)segment.Length).CopyTo(Disk.AsSpan((int)offset));
                        offset += segment.Length;
                    }

                    return 0;
                case TypeFlush:
                    request.Flushed = true;
                    return data.Count == 0 ? (byte)0 : (byte)1;
                case TypeGetId:
                    if (data.Count != 1 || !data[0].Writable || data[0].Length < 20)
                    {
                        return 1;
                    }

                    Span<byte> id = Device.Memory.DeviceView(data[0].Address, 20);
                    id.Clear();
                    Encoding.ASCII.GetBytes(Serial).CopyTo(id);
                    written = 20;
                    return 0;
                case TypeDiscard:
                case TypeWriteZeroes:
                    return RangeCommand(request, data, readOnly);
                default:
                    return 2;
            }
        }

        private byte RangeCommand(SimBlockRequest request, List<SimSegment> data, bool readOnly)
        {
            ulong feature = request.Type == TypeDiscard ? FeatureDiscard : FeatureWriteZeroes;
            if ((Device.DriverFeatures & feature) == 0)
            {
                return 2;
            }

            if (readOnly)
            {
                Device.Violation("virtio-blk: a discard or write-zeroes to a read-only disk");
                return 1;
            }

            if (request.Sector != 0 || data.Count != 1 || data[0].Writable || data[0].Length % 16 != 0)
            {
                return 1;
            }

            Span<byte> segments = Device.Memory.DeviceView(data[0].Address, (int)data[0].Length);
            for (int at = 0; at < segments.Length; at += 16)
            {
                ulong sector = BinaryPrimitives.ReadUInt64LittleEndian(segments[at..]);
                uint count = BinaryPrimitives.ReadUInt32LittleEndian(segments[(at + 8)..]);
                uint flags = BinaryPrimitives.ReadUInt32LittleEndian(segments[(at + 12)..]);
                request.Ranges.Add((sector, count, flags));
                uint limit = BinaryPrimitives.ReadUInt32LittleEndian(Device.Config.AsSpan(request.Type == TypeDiscard ? 36 : 48));
                if (count > limit || (sector + count) * 512 > (ulong)Disk.Length)
                {
                    return 1;
                }

                // A discarded range reads back as zeroes here too; the driver must not rely on it.
                Disk.AsSpan((int)(sector * 512), (int)(count * 512)).Clear();
            }

            return 0;
        }
    }
}
