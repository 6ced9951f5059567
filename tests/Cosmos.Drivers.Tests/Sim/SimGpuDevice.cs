using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Gpu;
using Xunit;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A virtio-gpu device (VirtIO 1.2 §5.7) over a <see cref="SimRig"/>: it parses every control and cursor
    /// command into <see cref="Commands"/>, keeps its resources (size, format, backing), copies transferred
    /// rectangles out of the guest's backing into the host side (<see cref="Scanout"/>) and answers as the
    /// specification says. Lies are injected with <see cref="Answer"/> (replace a response), or
    /// <see cref="Silent"/> (never complete).
    /// </summary>
    internal sealed class SimGpuDevice : IDisposable
    {
        public const ulong FeatureEdid = 1UL << 1;

        private readonly Dictionary<uint, Resource> _resources = new();

        private SimGpuDevice(SimRig rig)
        {
            Rig = rig;
            rig.Device.Queues[0].Handler = rig.Device.Queues[0].HandlerAfterReset = HandleControl;
            rig.Device.Queues[1].Handler = rig.Device.Queues[1].HandlerAfterReset = HandleCursor;
        }

        public SimRig Rig { get; }

        public SimDevice Device => Rig.Device;

        /// <summary>Every command in arrival order: queue, type, the whole request.</summary>
        public List<(int Queue, uint Type, byte[] Bytes)> Commands { get; } = new();

        /// <summary>The rectangle GET_DISPLAY_INFO reports for scanout 0.</summary>
        public (int Width, int Height) DisplayInfoMode { get; set; } = (1024, 768);

        /// <summary>The preferred mode the EDID gives (null: no EDID block).</summary>
        public byte[]? Edid { get; set; } = MakeEdid(1280, 800);

        /// <summary>Replaces the answer to a command type: returns the response bytes to write (null: answer honestly).</summary>
        public Func<uint, byte[]?>? Answer { get; set; }

        /// <summary>The device never completes a command.</summary>
        public bool Silent
        {
            get => !Device.AutoProcess;
            set => Device.AutoProcess = !value;
        }

        /// <summary>The resource scanout 0 shows (0: none).</summary>
        public uint ScanoutResource { get; private set; }

        /// <summary>The part of <see cref="ScanoutResource"/> scanout 0 shows (SET_SCANOUT's rectangle).</summary>
        public (uint X, uint Y, uint W, uint H) ScanoutRect { get; private set; }

        /// <summary>Rectangles RESOURCE_FLUSH showed.</summary>
        public List<(uint X, uint Y, uint W, uint H)> Flushes { get; } = new();

        public static SimGpuDevice Create(SimLayout layout, bool edid = true)
        {
            var options = new SimOptions
            {
                DeviceType = 16,
                Features = SimDevice.FeatureVersion1 | SimDevice.FeatureIndirect | SimDevice.FeatureEventIndex | (edid ? FeatureEdid : 0),
                QueueCount = 2,
                MaxQueueSize = 64,
                ConfigLength = 16,
            };
            var sim = new SimGpuDevice(SimRig.Create(layout, options));
            BinaryPrimitives.WriteUInt32LittleEndian(sim.Device.Config.AsSpan(8), 1);
            return sim;
        }

        public VirtioGpuDevice StartDriver()
        {
            VirtioResult<VirtioGpuDevice> started = TryStart();
            Assert.True(started.IsSuccess, started.Error);
            return started.Value;
        }

        public VirtioResult<VirtioGpuDevice> TryStart(TimeSpan? timeout = null) => VirtioGpuDevice.Start(Rig.Transport, Rig.Memory, new SimWaiter(), timeout);

        /// <summary>The host's copy of a resource's pixels (what TRANSFER_TO_HOST_2D moved).</summary>
        public uint[] HostPixels(uint resource) => _resources[resource].Host;

        public (uint Width, uint Height, uint Format, ulong Backing, uint BackingLength) ResourceInfo(uint resource)
        {
            Resource r = _resources[resource];
            return (r.Width, r.Height, r.Format, r.Backing, r.BackingLength);
        }

        public bool HasResource(uint resource) => _resources.ContainsKey(resource);

        /// <summary>What scanout 0 shows, row by row: its rectangle of the host's copy of the resource (a screendump).</summary>
        public uint[] ScreenPixels()
        {
            Resource r = _resources[ScanoutResource];
            (uint x, uint y, uint w, uint h) = ScanoutRect;
            var screen = new uint[w * h];
            for (uint row = 0; row < h; row++)
            {
                r.Host.AsSpan((int)(((y + row) * r.Width) + x), (int)w).CopyTo(screen.AsSpan((int)(row * w)));
            }

            return screen;
        }

        public IEnumerable<uint> CommandTypes(int queue = 0)
        {
            foreach ((int q, uint type, byte[] _) in Commands)
            {
                if (q == queue)
                {
                    yield return type;
                }
            }
        }

        /// <summary>The host changes the display: events_read gets VIRTIO_GPU_EVENT_DISPLAY and a configuration interrupt follows.</summary>
        public void RaiseDisplayEvent(int width, int height)
        {
            DisplayInfoMode = (width, height);
            Edid = null;
            BinaryPrimitives.WriteUInt32LittleEndian(Device.Config, 1);
            Device.SignalConfigChange();
        }

        public uint EventsRead => BinaryPrimitives.ReadUInt32LittleEndian(Device.Config);

        public void Dispose() => Rig.Dispose();

        /// <summary>A valid 128-byte EDID 1.4 base block whose first detailed timing is <paramref name="width"/>×<paramref name="height"/>.</summary>
        public static byte[] MakeEdid(int width, int height)
        {
            var edid = new byte[128];
            new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0 }.CopyTo(edid, 0);
            edid[18] = 1;
            edid[19] = 4;
            edid[54] = 0x10; // pixel clock, any non-zero value
            edid[55] = 0x27;
            edid[56] = (byte)width;
            edid[58] = (byte)((width >> 8) << 4);
            edid[59] = (byte)height;
            edid[61] = (byte)((height >> 8) << 4);
            byte sum = 0;
            for (int i = 0; i < 127; i++)
            {
                sum += edid[i];
            }

            edid[127] = (byte)(256 - sum);
            return edid;
        }

        private byte[] Gather(SimRequest request)
        {
            var bytes = new List<byte>();
            foreach (SimSegment segment in request.Segments)
            {
                if (!segment.Writable)
                {
                    bytes.AddRange(Device.Memory.DeviceView(segment.Address, (int)segment.Length).ToArray());
                }
            }

            return bytes.ToArray();
        }

        private uint Scatter(SimRequest request, byte[] response)
        {
            int at = 0;
            foreach (SimSegment segment in request.Segments)
            {
                if (segment.Writable && at < response.Length)
                {
                    int n = Math.Min((int)segment.Length, response.Length - at);
                    response.AsSpan(at, n).CopyTo(Device.Memory.DeviceView(segment.Address, n));
                    at += n;
                }
            }

            return (uint)at;
        }

        private uint HandleCursor(SimRequest request)
        {
            byte[] bytes = Gather(request);
            Commands.Add((1, U32(bytes, 0), bytes));
            return 0;
        }

        private uint HandleControl(SimRequest request)
        {
            byte[] bytes = Gather(request);
            uint type = bytes.Length >= 4 ? U32(bytes, 0) : 0;
            Commands.Add((0, type, bytes));
            byte[]? lie = Answer?.Invoke(type);
            if (lie is not null)
            {
                return Scatter(request, lie);
            }

            byte[] response = Respond(type, bytes);
            // Echo the fence (§5.7.6.7).
            if ((U32(bytes, 4) & 1) != 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(response.AsSpan(4), 1);
                BinaryPrimitives.WriteUInt64LittleEndian(response.AsSpan(8), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
            }

            return Scatter(request, response);
        }

        private byte[] Respond(uint type, byte[] bytes)
        {
            switch (type)
            {
                case 0x100:
                {
                    var info = new byte[24 + (16 * 24)];
                    Put(info, 0, 0x1101);
                    Put(info, 24 + 8, (uint)DisplayInfoMode.Width);
                    Put(info, 24 + 12, (uint)DisplayInfoMode.Height);
                    Put(info, 24 + 16, 1);
                    return info;
                }

                case 0x10A:
                {
                    if (Edid is null)
                    {
                        return Header(0x1205);
                    }

                    var edid = new byte[24 + 8 + 1024];
                    Put(edid, 0, 0x1104);
                    Put(edid, 24, (uint)Edid.Length);
                    Edid.CopyTo(edid, 32);
                    return edid;
                }

                case 0x101:
                {
                    uint id = U32(bytes, 24);
                    if (id == 0 || _resources.ContainsKey(id))
                    {
                        return Header(0x1203);
                    }

                    _resources[id] = new Resource { Width = U32(bytes, 32), Height = U32(bytes, 36), Format = U32(bytes, 28), Host = new uint[U32(bytes, 32) * U32(bytes, 36)] };
                    return Header(0x1100);
                }

                case 0x106:
                {
                    if (!_resources.TryGetValue(U32(bytes, 24), out Resource? r) || U32(bytes, 28) != 1)
                    {
                        return Header(0x1205);
                    }

                    // QEMU refuses a second backing while one is attached.
                    if (r.Backing != 0)
                    {
                        return Header(0x1200);
                    }

                    r.Backing = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32));
                    r.BackingLength = U32(bytes, 40);
                    return Header(0x1100);
                }

                case 0x103:
                {
                    uint x = U32(bytes, 24), y = U32(bytes, 28), w = U32(bytes, 32), h = U32(bytes, 36), id = U32(bytes, 44);
                    if (U32(bytes, 40) != 0)
                    {
                        return Header(0x1202);
                    }

                    if (id != 0 && !_resources.ContainsKey(id))
                    {
                        return Header(0x1203);
                    }

                    // QEMU's check: the rectangle lies inside the resource.
                    if (id != 0 && ((ulong)x + w > _resources[id].Width || (ulong)y + h > _resources[id].Height))
                    {
                        return Header(0x1205);
                    }

                    ScanoutResource = id;
                    ScanoutRect = (x, y, w, h);
                    return Header(0x1100);
                }

                case 0x105:
                {
                    if (!_resources.TryGetValue(U32(bytes, 48), out Resource? r) || r.Backing == 0)
                    {
                        return Header(0x1203);
                    }

                    uint x = U32(bytes, 24), y = U32(bytes, 28), w = U32(bytes, 32), h = U32(bytes, 36);
                    ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));
                    if (x + w > r.Width || y + h > r.Height)
                    {
                        return Header(0x1205);
                    }

                    // QEMU's reading: row k starts at offset + k * stride in the backing.
                    for (uint row = 0; row < h; row++)
                    {
                        Span<byte> src = Device.Memory.DeviceView(r.Backing + offset + (row * r.Width * 4), (int)(w * 4));
                        for (uint col = 0; col < w; col++)
                        {
                            r.Host[((y + row) * r.Width) + x + col] = BinaryPrimitives.ReadUInt32LittleEndian(src[(int)(col * 4)..]);
                        }
                    }

                    return Header(0x1100);
                }

                case 0x104:
                    if (!_resources.ContainsKey(U32(bytes, 40)))
                    {
                        return Header(0x1203);
                    }

                    Flushes.Add((U32(bytes, 24), U32(bytes, 28), U32(bytes, 32), U32(bytes, 36)));
                    return Header(0x1100);

                case 0x107:
                    return Header(_resources.TryGetValue(U32(bytes, 24), out Resource? detached) && (detached.Backing = 0) == 0 ? 0x1100u : 0x1203u);

                case 0x102:
                    return Header(_resources.Remove(U32(bytes, 24)) ? 0x1100u : 0x1203u);

                default:
                    return Header(0x1200);
            }
        }

        public static byte[] Header(uint type)
        {
            var header = new byte[24];
            Put(header, 0, type);
            return header;
        }

        private static uint U32(byte[] bytes, int at) => bytes.Length >= at + 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) : 0;

        private static void Put(byte[] bytes, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);

        private sealed class Resource
        {
            public uint Width { get; init; }

            public uint Height { get; init; }

            public uint Format { get; init; }

            public ulong Backing { get; set; }

            public uint BackingLength { get; set; }

            public uint[] Host { get; init; } = Array.Empty<uint>();
        }
    }
}
