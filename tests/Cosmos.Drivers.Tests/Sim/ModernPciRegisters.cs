using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// A memory BAR holding the four modern regions, as QEMU lays them out (common @0, ISR @0x1000,
    /// device @0x2000, notify @0x3000; VirtIO 1.2 §4.1.4). Offsets written out from the
    /// specification's tables, independently of the driver's constants.
    /// </summary>
    internal sealed class ModernPciRegisters : IRegisterSpace
    {
        public const ulong CommonAt = 0x0000;
        public const ulong IsrAt = 0x1000;
        public const ulong DeviceAt = 0x2000;
        public const ulong NotifyAt = 0x3000;
        public const ulong RegionSize = 0x1000;
        public const ulong BarSize = 0x4000;

        private readonly SimDevice _device;
        private uint _deviceFeatureSelect;
        private uint _driverFeatureSelect;
        private ushort _queueSelect;

        public ModernPciRegisters(SimDevice device, uint notifyMultiplier)
        {
            _device = device;
            NotifyMultiplier = notifyMultiplier;
            for (int i = 0; i < device.Queues.Length; i++)
            {
                // Not simply the queue index, so a driver that ignores queue_notify_off is caught.
                device.Queues[i].NotifyOff = (ushort)(device.Queues.Length - 1 - i);
            }
        }

        public uint NotifyMultiplier { get; }

        private SimQueue? Selected => _queueSelect < _device.Queues.Length ? _device.Queues[_queueSelect] : null;

        public ulong Read(ulong offset, int width)
        {
            if (offset >= NotifyAt)
            {
                _device.Violation($"read of the notify region at 0x{offset - NotifyAt:x}");
                return 0;
            }

            if (offset >= DeviceAt)
            {
                return _device.ReadConfig((int)(offset - DeviceAt), width);
            }

            if (offset >= IsrAt)
            {
                Expect(offset, width, 1, "isr");
                return _device.ReadAndClearIsr();
            }

            return ReadCommon(offset - CommonAt, width);
        }

        public void Write(ulong offset, int width, ulong value)
        {
            if (offset >= NotifyAt)
            {
                Expect(offset, width, 2, "notify");
                ulong at = offset - NotifyAt;
                for (int i = 0; i < _device.Queues.Length; i++)
                {
                    if ((ulong)_device.Queues[i].NotifyOff * NotifyMultiplier == at)
                    {
                        _device.Notify(i, value);
                        return;
                    }
                }

                _device.Violation($"notification at notify+0x{at:x}, which belongs to no queue");
                return;
            }

            if (offset >= DeviceAt)
            {
                _device.WriteConfig((int)(offset - DeviceAt), width, value);
                return;
            }

            if (offset >= IsrAt)
            {
                _device.Violation("write to the ISR");
                return;
            }

            WriteCommon(offset - CommonAt, width, value);
        }

        // struct virtio_pci_common_cfg, VirtIO 1.2 §4.1.4.3.
        private ulong ReadCommon(ulong offset, int width)
        {
            SimQueue? queue = Selected;
            switch (offset)
            {
                case 0x00: Expect(offset, width, 4, "device_feature_select"); return _deviceFeatureSelect;
                case 0x04: Expect(offset, width, 4, "device_feature"); return _device.ReadOfferedFeatureWord((int)_deviceFeatureSelect);
                case 0x08: Expect(offset, width, 4, "driver_feature_select"); return _driverFeatureSelect;
                case 0x0C: Expect(offset, width, 4, "driver_feature"); return (uint)(_device.DriverFeatures >> (32 * (int)(_driverFeatureSelect & 1)));
                case 0x10: Expect(offset, width, 2, "config_msix_vector"); return _device.ConfigVector;
                case 0x12: Expect(offset, width, 2, "num_queues"); return (ulong)_device.Queues.Length;
                case 0x14: Expect(offset, width, 1, "device_status"); return _device.ReadStatus();
                case 0x15: Expect(offset, width, 1, "config_generation"); return (byte)_device.Generation;
                case 0x16: Expect(offset, width, 2, "queue_select"); return _queueSelect;
                case 0x18: Expect(offset, width, 2, "queue_size"); return queue is null ? 0UL : (ulong)queue.Size;
                case 0x1A: Expect(offset, width, 2, "queue_msix_vector"); return queue?.Vector ?? SimDevice.NoVector;
                case 0x1C: Expect(offset, width, 2, "queue_enable"); return queue is not null && queue.Ready ? 1UL : 0UL;
                case 0x1E: Expect(offset, width, 2, "queue_notify_off"); return queue?.NotifyOff ?? 0;
                default:
                    _device.Violation($"read of common configuration at 0x{offset:x}");
                    return 0;
            }
        }

        private void WriteCommon(ulong offset, int width, ulong value)
        {
            SimQueue? queue = Selected;
            switch (offset)
            {
                case 0x00: Expect(offset, width, 4, "device_feature_select"); _deviceFeatureSelect = (uint)value; return;
                case 0x08: Expect(offset, width, 4, "driver_feature_select"); _driverFeatureSelect = (uint)value; return;
                case 0x0C: Expect(offset, width, 4, "driver_feature"); _device.WriteDriverFeatureWord((int)_driverFeatureSelect, (uint)value); return;
                case 0x10: Expect(offset, width, 2, "config_msix_vector"); _device.ConfigVector = _device.AcceptVector(value); return;
                case 0x14: Expect(offset, width, 1, "device_status"); _device.WriteStatus((byte)value); return;
                case 0x16: Expect(offset, width, 2, "queue_select"); _queueSelect = (ushort)value; return;
            }

            if (queue is null)
            {
                _device.Violation($"write of common configuration 0x{offset:x} with queue {_queueSelect} selected, which does not exist");
                return;
            }

            if (queue.Ready && offset != 0x1A)
            {
                _device.Violation($"queue {queue.Index} reconfigured (0x{offset:x}) while enabled");
            }

            switch (offset)
            {
                case 0x18:
                    Expect(offset, width, 2, "queue_size");
                    if (value == 0 || value > (ulong)queue.MaxSize || (value & (value - 1)) != 0)
                    {
                        // QEMU 11 refuses sizes above the maximum.
                        _device.Violation($"queue {queue.Index} size {value} (maximum {queue.MaxSize})");
                        return;
                    }

                    queue.Size = (int)value;
                    return;
                case 0x1A: Expect(offset, width, 2, "queue_msix_vector"); queue.Vector = _device.AcceptVector(value); return;
                case 0x1C:
                    Expect(offset, width, 2, "queue_enable");
                    if (value != 1)
                    {
                        _device.Violation($"queue_enable written with {value}");
                    }

                    queue.Ready = true;
                    return;
                case 0x20: queue.DescriptorTable = Low(queue.DescriptorTable, offset, width, value); return;
                case 0x24: queue.DescriptorTable = High(queue.DescriptorTable, offset, width, value); return;
                case 0x28: queue.DriverArea = Low(queue.DriverArea, offset, width, value); return;
                case 0x2C: queue.DriverArea = High(queue.DriverArea, offset, width, value); return;
                case 0x30: queue.DeviceArea = Low(queue.DeviceArea, offset, width, value); return;
                case 0x34: queue.DeviceArea = High(queue.DeviceArea, offset, width, value); return;
                default:
                    _device.Violation($"write of common configuration at 0x{offset:x}");
                    return;
            }
        }

        private ulong Low(ulong current, ulong offset, int width, ulong value)
        {
            Expect(offset, width, 4, "queue address low");
            return (current & 0xFFFF_FFFF_0000_0000UL) | (uint)value;
        }

        private ulong High(ulong current, ulong offset, int width, ulong value)
        {
            Expect(offset, width, 4, "queue address high");
            return (current & 0xFFFF_FFFFUL) | (value << 32);
        }

        private void Expect(ulong offset, int width, int expected, string register)
        {
            if (width != expected)
            {
                _device.Violation($"{register} (0x{offset:x}) accessed with {width} bytes, not {expected}");
            }
        }
    }
}
