using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// The legacy I/O BAR0 (VirtIO 1.2 §4.1.4.8): 32 feature bits, read-only queue size, queue page
    /// frame number, ISR at 0x13, and with MSI-X on the two vector registers before the configuration.
    /// </summary>
    internal sealed class LegacyPciRegisters : IRegisterSpace
    {
        public const ulong BarSize = 0x100;

        private readonly SimDevice _device;
        private ushort _queueSelect;

        public LegacyPciRegisters(SimDevice device)
        {
            _device = device;
        }

        private ulong ConfigStart => _device.MsixEnabled ? 0x18UL : 0x14UL;

        private SimQueue? Selected => _queueSelect < _device.Queues.Length ? _device.Queues[_queueSelect] : null;

        public ulong Read(ulong offset, int width)
        {
            if (offset >= ConfigStart)
            {
                return _device.ReadConfig((int)(offset - ConfigStart), width);
            }

            switch (offset)
            {
                case 0x00: Expect(offset, width, 4); return _device.ReadOfferedFeatureWord(0);
                case 0x04: Expect(offset, width, 4); return (uint)_device.DriverFeatures;
                case 0x08: Expect(offset, width, 4); return Selected is SimQueue q ? q.DescriptorTable >> 12 : 0;
                case 0x0C: Expect(offset, width, 2); return Selected is SimQueue s ? (ulong)s.MaxSize : 0;
                case 0x0E: Expect(offset, width, 2); return _queueSelect;
                case 0x12: Expect(offset, width, 1); return _device.ReadStatus();
                case 0x13: Expect(offset, width, 1); return _device.ReadAndClearIsr();
                case 0x14: Expect(offset, width, 2); return _device.ConfigVector;
                case 0x16: Expect(offset, width, 2); return Selected?.Vector ?? SimDevice.NoVector;
                default:
                    _device.Violation($"legacy read at 0x{offset:x}");
                    return 0;
            }
        }

        public void Write(ulong offset, int width, ulong value)
        {
            if (offset >= ConfigStart)
            {
                _device.WriteConfig((int)(offset - ConfigStart), width, value);
                return;
            }

            switch (offset)
            {
                case 0x04: Expect(offset, width, 4); _device.WriteDriverFeatureWord(0, (uint)value); return;
                case 0x08:
                    Expect(offset, width, 4);
                    if (Selected is SimQueue queue)
                    {
                        queue.Size = queue.MaxSize;
                        queue.SetLegacyLayout(value << 12, 4096);
                    }

                    return;
                case 0x0E: Expect(offset, width, 2); _queueSelect = (ushort)value; return;
                case 0x10: Expect(offset, width, 2); _device.Notify((int)value, value); return;
                case 0x12: Expect(offset, width, 1); _device.WriteStatus((byte)value); return;
                case 0x14: Expect(offset, width, 2); _device.ConfigVector = _device.AcceptVector(value); return;
                case 0x16:
                    Expect(offset, width, 2);
                    if (Selected is SimQueue selected)
                    {
                        selected.Vector = _device.AcceptVector(value);
                    }

                    return;
                default:
                    _device.Violation($"legacy write at 0x{offset:x}");
                    return;
            }
        }

        private void Expect(ulong offset, int width, int expected)
        {
            if (width != expected)
            {
                _device.Violation($"legacy register 0x{offset:x} accessed with {width} bytes, not {expected}");
            }
        }
    }
}
