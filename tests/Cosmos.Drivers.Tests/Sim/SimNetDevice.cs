using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Net;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A virtio-net device (VirtIO 1.2 §5.1) over a <see cref="SimRig"/>: configuration with MAC,
    /// status and MTU; a transmit queue whose frames are parsed into <see cref="Sent"/>; a receive
    /// queue the test fills with <see cref="Deliver"/>, spreading a frame over several buffers when
    /// MRG_RXBUF was negotiated. The device never processes a queue by itself (<see cref="SimDevice.AutoProcess"/>
    /// is off: a receive queue holds its buffers until there is a frame): <see cref="Pump"/> stands for
    /// time passing. Whatever breaks the driver's side of §5.1.6 is a violation; lies are injected
    /// through <see cref="Deliver"/>'s arguments or the queues directly.
    /// </summary>
    internal sealed class SimNetDevice : IDisposable
    {
        public const ulong FeatureCsum = 1UL << 0;
        public const ulong FeatureGuestCsum = 1UL << 1;
        public const ulong FeatureMtu = 1UL << 3;
        public const ulong FeatureMac = 1UL << 5;
        public const ulong FeatureGuestTso4 = 1UL << 7;
        public const ulong FeatureHostTso4 = 1UL << 11;
        public const ulong FeatureMrgRxbuf = 1UL << 15;
        public const ulong FeatureStatus = 1UL << 16;
        public const ulong FeatureCtrlVq = 1UL << 17;

        /// <summary>Everything the driver implements, plus offload and control features it must leave alone.</summary>
        public const ulong AllFeatures = SimDevice.FeatureVersion1 | SimDevice.FeatureIndirect | SimDevice.FeatureEventIndex
            | FeatureCsum | FeatureGuestCsum | FeatureMtu | FeatureMac | FeatureMrgRxbuf | FeatureStatus
            | FeatureGuestTso4 | FeatureHostTso4 | FeatureCtrlVq;

        /// <summary>The features the driver may accept out of <see cref="AllFeatures"/>.</summary>
        public const ulong DriverFeatures = SimDevice.FeatureVersion1 | SimDevice.FeatureIndirect | SimDevice.FeatureEventIndex
            | FeatureCsum | FeatureGuestCsum | FeatureMtu | FeatureMac | FeatureMrgRxbuf | FeatureStatus;

        public const byte FlagNeedsCsum = 1;
        public const byte FlagDataValid = 2;

        public static readonly byte[] DefaultMac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

        private SimNetDevice(SimRig rig)
        {
            Rig = rig;
        }

        public SimRig Rig { get; }

        public SimDevice Device => Rig.Device;

        public SimQueue ReceiveQueue => Rig.Device.Queues[0];

        public SimQueue TransmitQueue => Rig.Device.Queues[1];

        /// <summary>Frames the driver sent, in order.</summary>
        public List<Frame> Sent { get; } = new();

        public bool Negotiated(ulong feature) => (Device.DriverFeatures & feature) == feature;

        /// <summary>The header the driver must use: 12 bytes with VERSION_1 or MRG_RXBUF, else 10.</summary>
        public int HeaderLength => Negotiated(SimDevice.FeatureVersion1) || Negotiated(FeatureMrgRxbuf) ? 12 : 10;

        /// <summary>The MTU in the configuration.</summary>
        public int Mtu => BinaryPrimitives.ReadUInt16LittleEndian(Device.Config.AsSpan(10));

        public static SimNetDevice Create(
            SimLayout layout,
            ulong features = AllFeatures,
            byte[]? mac = null,
            bool linkUp = true,
            ushort mtu = 1500,
            int queueSize = 256,
            InterruptMode interrupts = InterruptMode.MsiX)
        {
            var options = new SimOptions
            {
                DeviceType = 1,
                Features = features,
                QueueCount = 3, // receiveq1, transmitq1, controlq (CTRL_VQ is offered, never taken)
                MaxQueueSize = queueSize,
                ConfigLength = 24,
                Interrupts = interrupts,
            };
            SimRig rig = SimRig.Create(layout, options);
            byte[] config = rig.Device.Config;
            (mac ?? DefaultMac).CopyTo(config, 0);
            BinaryPrimitives.WriteUInt16LittleEndian(config.AsSpan(6), (ushort)(linkUp ? 1 : 0));
            BinaryPrimitives.WriteUInt16LittleEndian(config.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(config.AsSpan(10), mtu);
            return new SimNetDevice(rig);
        }

        public void Dispose() => Rig.Dispose();

        /// <summary>Starts the driver; the device then waits for <see cref="Pump"/> or <see cref="Deliver"/> to act.</summary>
        public VirtioNetDevice StartDriver()
        {
            Device.AutoProcess = false;
            VirtioResult<VirtioNetDevice> started = VirtioNetDevice.Start(Rig.Transport, Rig.Memory);
            Assert.True(started.IsSuccess, started.Error);
            TransmitQueue.Handler = HandleTransmit;
            return started.Value;
        }

        /// <summary>Time passes: every frame sent is taken off the transmit queue, receive buffers are fetched.</summary>
        public void Pump()
        {
            TransmitQueue.ProcessAll();
            ReceiveQueue.Fetch();
        }

        /// <summary>Receive buffers the driver has made available and the device not yet used.</summary>
        public int ReceiveBuffersAvailable
        {
            get
            {
                ReceiveQueue.Fetch();
                return ReceiveQueue.Pending.Count;
            }
        }

        /// <summary>Changes config.status; with <paramref name="signal"/> a configuration change interrupt follows.</summary>
        public void SetLink(bool up, bool signal = true)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(Device.Config.AsSpan(6), (ushort)(up ? 1 : 0));
            if (signal)
            {
                Device.SignalConfigChange();
            }
        }

        /// <summary>
        /// Receives <paramref name="frame"/>: a header (<paramref name="flags"/>, checksum position,
        /// num_buffers) then the frame, written into the oldest available receive buffers, filling each
        /// (or at most <paramref name="bytesPerBuffer"/> bytes of each) when MRG_RXBUF was negotiated,
        /// else into one buffer. Used elements are published together and the driver interrupted as
        /// §2.7.7.2 says. Lies: <paramref name="numBuffers"/> replaces the honest count,
        /// <paramref name="firstUsedLength"/> the first buffer's used length. Returns the buffers used,
        /// or -1 when the available ones cannot hold the frame (nothing is written then).
        /// </summary>
        public int Deliver(
            byte[] frame,
            byte flags = 0,
            ushort checksumStart = 0,
            ushort checksumOffset = 0,
            int? bytesPerBuffer = null,
            ushort? numBuffers = null,
            uint? firstUsedLength = null)
        {
            ReceiveQueue.Fetch();
            int headerLength = HeaderLength;
            bool mergeable = Negotiated(FeatureMrgRxbuf);
            var payload = new byte[headerLength + frame.Length];
            payload[0] = flags;
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(6), checksumStart);
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(8), checksumOffset);
            frame.CopyTo(payload, headerLength);

            // Plan which buffers take how much, before touching any.
            var plan = new List<(SimRequest Request, int Bytes)>();
            int planned = 0;
            foreach (SimRequest request in ReceiveQueue.Pending)
            {
                CheckReceiveBuffer(request, headerLength, mergeable);
                int room = (int)request.WritableCapacity;
                int bytes = Math.Min(Math.Min(room, bytesPerBuffer ?? room), payload.Length - planned);
                plan.Add((request, bytes));
                planned += bytes;
                if (planned == payload.Length || !mergeable)
                {
                    break;
                }
            }

            if (planned < payload.Length)
            {
                return -1;
            }

            if (headerLength == 12)
            {
                // §5.1.6.4: num_buffers is 1 without MRG_RXBUF (VERSION_1 header).
                BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(10), numBuffers ?? (ushort)plan.Count);
            }

            int at = 0;
            for (int i = 0; i < plan.Count; i++)
            {
                (SimRequest request, int bytes) = plan[i];
                Scatter(request, payload.AsSpan(at, bytes));
                at += bytes;
                ReceiveQueue.Pending.Remove(request);
                ReceiveQueue.WriteUsed(request.Head, i == 0 && firstUsedLength is uint lie ? lie : (uint)bytes);
            }

            ReceiveQueue.MaybeSignal();
            return plan.Count;
        }

        private void CheckReceiveBuffer(SimRequest request, int headerLength, bool mergeable)
        {
            foreach (SimSegment segment in request.Segments)
            {
                if (!segment.Writable)
                {
                    Device.Violation($"virtio-net receive buffer {request.Head}: a device-readable segment");
                }
            }

            if (!Negotiated(SimDevice.FeatureVersion1) && !mergeable && request.Segments.Count > 0 && request.Segments[0].Length != headerLength)
            {
                // §5.1.6.6, and what QEMU's legacy receive path insisted on.
                Device.Violation($"virtio-net receive buffer {request.Head}: legacy header in a {request.Segments[0].Length}-byte descriptor, not {headerLength}");
            }

            int needed = mergeable ? headerLength : headerLength + Mtu + 14;
            if (request.WritableCapacity < needed)
            {
                Device.Violation($"virtio-net receive buffer {request.Head}: {request.WritableCapacity} bytes, fewer than {needed}");
            }
        }

        private void Scatter(SimRequest request, ReadOnlySpan<byte> data)
        {
            foreach (SimSegment segment in request.Segments)
            {
                if (data.IsEmpty)
                {
                    return;
                }

                int n = Math.Min((int)segment.Length, data.Length);
                data[..n].CopyTo(Device.Memory.DeviceView(segment.Address, n));
                data = data[n..];
            }
        }

        // §5.1.6.2: the header then the frame, all device-readable.
        private uint HandleTransmit(SimRequest request)
        {
            var bytes = new List<byte>();
            foreach (SimSegment segment in request.Segments)
            {
                if (segment.Writable)
                {
                    Device.Violation($"virtio-net transmit {request.Head}: a device-writable segment");
                    continue;
                }

                bytes.AddRange(Device.Memory.DeviceView(segment.Address, (int)segment.Length).ToArray());
            }

            int headerLength = HeaderLength;
            if (bytes.Count < headerLength)
            {
                Device.Violation($"virtio-net transmit {request.Head}: {bytes.Count} bytes, shorter than the header");
                return 0;
            }

            if (!Negotiated(SimDevice.FeatureVersion1) && request.Segments[0].Length != headerLength)
            {
                Device.Violation($"virtio-net transmit {request.Head}: legacy header in a {request.Segments[0].Length}-byte descriptor, not {headerLength}");
            }

            byte[] all = bytes.ToArray();
            var frame = new Frame(
                all[0],
                all[1],
                BinaryPrimitives.ReadUInt16LittleEndian(all.AsSpan(6)),
                BinaryPrimitives.ReadUInt16LittleEndian(all.AsSpan(8)),
                headerLength == 12 ? BinaryPrimitives.ReadUInt16LittleEndian(all.AsSpan(10)) : (ushort)0,
                all.AsSpan(headerLength).ToArray(),
                request.Segments.Count,
                request.Indirect);
            Sent.Add(frame);
            if ((frame.Flags & FlagDataValid) != 0 || frame.GsoType != 0 || frame.NumBuffers != 0)
            {
                Device.Violation($"virtio-net transmit {request.Head}: flags 0x{frame.Flags:x2}, gso {frame.GsoType}, num_buffers {frame.NumBuffers}");
            }

            if ((frame.Flags & FlagNeedsCsum) != 0 && !Negotiated(FeatureCsum))
            {
                Device.Violation($"virtio-net transmit {request.Head}: NEEDS_CSUM without CSUM");
            }

            int limit = (Negotiated(FeatureMtu) ? Mtu : 1500) + 18;
            if (frame.Bytes.Length > limit)
            {
                Device.Violation($"virtio-net transmit {request.Head}: a frame of {frame.Bytes.Length} bytes over mtu + headers {limit}");
            }

            return 0;
        }

        /// <summary>A frame the driver sent, as the device saw it: header fields, the bytes after the header, its descriptors.</summary>
        public sealed record Frame(byte Flags, byte GsoType, ushort ChecksumStart, ushort ChecksumOffset, ushort NumBuffers, byte[] Bytes, int Segments, bool Indirect);
    }
}
