using System.Collections.Generic;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A VirtIO MMIO window, Version 2 (VirtIO 1.2 §4.2.2) or legacy Version 1 (§4.2.4: GuestPageSize,
    /// QueueAlign, QueuePFN). All registers are 32-bit; configuration from 0x100.
    /// </summary>
    internal sealed class MmioRegisters : IRegisterSpace
    {
        public const ulong WindowSize = 0x200;

        private readonly SimDevice _device;
        private uint _deviceFeaturesSel;
        private uint _driverFeaturesSel;
        private uint _queueSel;
        private uint _guestPageSize;
        private uint _queueAlign;

        public MmioRegisters(SimDevice device, uint version, uint magic = 0x74726976)
        {
            _device = device;
            Version = version;
            Magic = magic;
        }

        public uint Version { get; }

        public uint Magic { get; }

        /// <summary>Every register offset touched, in order (probing must stop at DeviceID for an empty slot).</summary>
        public List<ulong> Accesses { get; } = new();

        private SimQueue? Selected => _queueSel < (uint)_device.Queues.Length ? _device.Queues[(int)_queueSel] : null;

        public ulong Read(ulong offset, int width)
        {
            Accesses.Add(offset);
            if (offset >= 0x100)
            {
                return _device.ReadConfig((int)(offset - 0x100), width);
            }

            Expect(offset, width);
            switch (offset)
            {
                case 0x000: return Magic;
                case 0x004: return Version;
                case 0x008: return _device.DeviceType;
                case 0x00C: return 0x554D4551; // "QEMU"
                case 0x010: return _device.ReadOfferedFeatureWord((int)_deviceFeaturesSel);
                case 0x034: return Selected is SimQueue max ? (ulong)max.MaxSize : 0;
                case 0x040 when Version == 1: return Selected is SimQueue pfn ? pfn.DescriptorTable / GuestPageSizeOr4K : 0;
                case 0x044 when Version == 2: return Selected is SimQueue ready && ready.Ready ? 1UL : 0UL;
                case 0x060: return _device.Isr;
                case 0x070: return _device.ReadStatus();
                case 0x0FC when Version == 2: return _device.Generation;
                default:
                    _device.Violation($"mmio v{Version} read at 0x{offset:x}");
                    return 0;
            }
        }

        public void Write(ulong offset, int width, ulong value)
        {
            Accesses.Add(offset);
            if (offset >= 0x100)
            {
                _device.WriteConfig((int)(offset - 0x100), width, value);
                return;
            }

            Expect(offset, width);
            uint v = (uint)value;
            SimQueue? queue = Selected;
            switch (offset)
            {
                case 0x014: _deviceFeaturesSel = v; return;
                case 0x020: _device.WriteDriverFeatureWord((int)_driverFeaturesSel, v); return;
                case 0x024: _driverFeaturesSel = v; return;
                case 0x028 when Version == 1: _guestPageSize = v; return;
                case 0x030: _queueSel = v; return;
                case 0x038:
                    if (queue is not null)
                    {
                        if (v == 0 || v > (uint)queue.MaxSize)
                        {
                            _device.Violation($"queue {queue.Index} size {v} (maximum {queue.MaxSize})");
                        }

                        queue.Size = (int)v;
                    }

                    return;
                case 0x03C when Version == 1: _queueAlign = v; return;
                case 0x040 when Version == 1:
                    if (queue is not null)
                    {
                        if (_guestPageSize == 0 || _queueAlign == 0)
                        {
                            _device.Violation("QueuePFN written before GuestPageSize and QueueAlign");
                        }

                        queue.SetLegacyLayout((ulong)v * GuestPageSizeOr4K, (int)(_queueAlign == 0 ? 4096 : _queueAlign));
                    }

                    return;
                case 0x044 when Version == 2: if (queue is not null) { queue.Ready = v == 1; } return;
                case 0x050: _device.Notify((int)v, v); return;
                case 0x064: _device.Isr = (byte)(_device.Isr & ~v); return;
                case 0x070: _device.WriteStatus((byte)v); return;
                case 0x080 when Version == 2: if (queue is not null) { queue.DescriptorTable = (queue.DescriptorTable & ~0xFFFF_FFFFUL) | v; } return;
                case 0x084 when Version == 2: if (queue is not null) { queue.DescriptorTable = (queue.DescriptorTable & 0xFFFF_FFFFUL) | ((ulong)v << 32); } return;
                case 0x090 when Version == 2: if (queue is not null) { queue.DriverArea = (queue.DriverArea & ~0xFFFF_FFFFUL) | v; } return;
                case 0x094 when Version == 2: if (queue is not null) { queue.DriverArea = (queue.DriverArea & 0xFFFF_FFFFUL) | ((ulong)v << 32); } return;
                case 0x0A0 when Version == 2: if (queue is not null) { queue.DeviceArea = (queue.DeviceArea & ~0xFFFF_FFFFUL) | v; } return;
                case 0x0A4 when Version == 2: if (queue is not null) { queue.DeviceArea = (queue.DeviceArea & 0xFFFF_FFFFUL) | ((ulong)v << 32); } return;
                default:
                    _device.Violation($"mmio v{Version} write at 0x{offset:x}");
                    return;
            }
        }

        private ulong GuestPageSizeOr4K => _guestPageSize == 0 ? 4096UL : _guestPageSize;

        private void Expect(ulong offset, int width)
        {
            if (width != 4)
            {
                _device.Violation($"mmio register 0x{offset:x} accessed with {width} bytes");
            }
        }
    }
}
