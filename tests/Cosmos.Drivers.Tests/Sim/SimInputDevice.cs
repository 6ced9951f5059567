using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Input;
using Xunit;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A virtio-input device (VirtIO 1.2 §5.8) over a <see cref="SimRig"/>: a configuration that answers
    /// select/subsel from <see cref="Name"/>, <see cref="EventBits"/> and <see cref="Axes"/>; an event queue
    /// whose posted buffers <see cref="Send"/> fills; a status queue whose events are parsed into
    /// <see cref="StatusEvents"/>. Lies: <see cref="SizeOverride"/> and <see cref="Send"/>'s length.
    /// </summary>
    internal sealed class SimInputDevice : IDisposable
    {
        private SimInputDevice(SimRig rig)
        {
            Rig = rig;
            rig.Device.ConfigRead = OnConfigRead;
        }

        public SimRig Rig { get; }

        public SimDevice Device => Rig.Device;

        public SimQueue EventQueue => Device.Queues[0];

        public SimQueue StatusQueue => Device.Queues[1];

        public string Name { get; set; } = "QEMU Virtio Keyboard";

        /// <summary>Event type → bitmap of codes.</summary>
        public Dictionary<int, byte[]> EventBits { get; } = new();

        /// <summary>Axis → (min, max, fuzz, flat, res).</summary>
        public Dictionary<int, (int Min, int Max, int Res)> Axes { get; } = new();

        /// <summary>When set, every select answers this size whatever it holds.</summary>
        public byte? SizeOverride { get; set; }

        public List<(ushort Type, ushort Code, int Value)> StatusEvents { get; } = new();

        public static SimInputDevice Keyboard(SimLayout layout = SimLayout.PciModern)
        {
            SimInputDevice sim = Create(layout);
            sim.EventBits[1] = Bits(30, 0x2FF / 8 + 1, codes: new[] { 1, 2, 28, 30, 42, 58 });
            sim.EventBits[0x11] = Bits(0, 1, codes: new[] { 0, 1, 2 });
            sim.EventBits[0x14] = new byte[] { 1 };
            return sim;
        }

        public static SimInputDevice Tablet(SimLayout layout = SimLayout.PciModern)
        {
            SimInputDevice sim = Create(layout);
            sim.Name = "QEMU Virtio Tablet";
            sim.EventBits[1] = Bits(0, 0x120 / 8 + 1, codes: new[] { 0x110, 0x111, 0x112 });
            sim.EventBits[3] = Bits(0, 1, codes: new[] { 0, 1 });
            sim.Axes[0] = (0, 32767, 0);
            sim.Axes[1] = (0, 32767, 0);
            return sim;
        }

        public static SimInputDevice Mouse(SimLayout layout = SimLayout.PciModern)
        {
            SimInputDevice sim = Create(layout);
            sim.Name = "QEMU Virtio Mouse";
            sim.EventBits[1] = Bits(0, 0x120 / 8 + 1, codes: new[] { 0x110, 0x111 });
            sim.EventBits[2] = Bits(0, 2, codes: new[] { 0, 1, 8 });
            return sim;
        }

        private static SimInputDevice Create(SimLayout layout)
        {
            var options = new SimOptions
            {
                DeviceType = 18,
                Features = SimDevice.FeatureVersion1 | SimDevice.FeatureIndirect | SimDevice.FeatureEventIndex,
                QueueCount = 2,
                MaxQueueSize = 64,
                ConfigLength = 136,
            };
            return new SimInputDevice(SimRig.Create(layout, options));
        }

        private static byte[] Bits(int unused, int length, int[] codes)
        {
            _ = unused;
            var bits = new byte[length];
            foreach (int code in codes)
            {
                bits[code / 8] |= (byte)(1 << (code % 8));
            }

            return bits;
        }

        public VirtioInputDevice StartDriver()
        {
            VirtioResult<VirtioInputDevice> started = TryStart();
            Assert.True(started.IsSuccess, started.Error);
            return started.Value;
        }

        public VirtioResult<VirtioInputDevice> TryStart()
        {
            Device.AutoProcess = false;
            return VirtioInputDevice.Start(Rig.Transport, Rig.Memory);
        }

        /// <summary>Buffers the driver has posted on the event queue and the device not used.</summary>
        public int PostedEventBuffers
        {
            get
            {
                EventQueue.Fetch();
                return EventQueue.Pending.Count;
            }
        }

        /// <summary>Writes one event into the oldest posted buffer and completes it with <paramref name="length"/> (8 honestly).</summary>
        public void Send(ushort type, ushort code, int value, uint length = 8)
        {
            EventQueue.Fetch();
            Assert.NotEmpty(EventQueue.Pending);
            SimRequest request = EventQueue.Pending[0];
            SimSegment segment = request.Segments[0];
            Assert.True(segment.Writable);
            Span<byte> bytes = Device.Memory.DeviceView(segment.Address, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, type);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], code);
            BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], value);
            EventQueue.Handler = _ => length;
            EventQueue.Complete(request);
        }

        /// <summary>The device reads the status queue.</summary>
        public void ReadStatus()
        {
            StatusQueue.Handler = request =>
            {
                SimSegment segment = request.Segments[0];
                Span<byte> bytes = Device.Memory.DeviceView(segment.Address, (int)segment.Length);
                StatusEvents.Add((BinaryPrimitives.ReadUInt16LittleEndian(bytes), BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[4..])));
                return 0;
            };
            StatusQueue.ProcessAll();
        }

        public void Dispose() => Rig.Dispose();

        // The driver wrote select/subsel; fill size and the union before it reads them (§5.8.4).
        private void OnConfigRead(int offset)
        {
            if (offset != 2)
            {
                return;
            }

            byte select = Device.Config[0], subsel = Device.Config[1];
            byte[] union = Array.Empty<byte>();
            switch (select)
            {
                case 0x01:
                    union = Encoding.ASCII.GetBytes(Name);
                    break;
                case 0x11:
                    union = EventBits.TryGetValue(subsel, out byte[]? bits) ? bits : Array.Empty<byte>();
                    break;
                case 0x12 when Axes.TryGetValue(subsel, out (int Min, int Max, int Res) axis):
                    union = new byte[20];
                    BinaryPrimitives.WriteInt32LittleEndian(union, axis.Min);
                    BinaryPrimitives.WriteInt32LittleEndian(union.AsSpan(4), axis.Max);
                    BinaryPrimitives.WriteInt32LittleEndian(union.AsSpan(16), axis.Res);
                    break;
            }

            Array.Clear(Device.Config, 8, 128);
            union.AsSpan(0, Math.Min(union.Length, 128)).CopyTo(Device.Config.AsSpan(8));
            Device.Config[2] = SizeOverride ?? (byte)Math.Min(union.Length, 128);
        }
    }
}
