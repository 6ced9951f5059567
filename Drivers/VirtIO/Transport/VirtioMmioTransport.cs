using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// The VirtIO MMIO transport (VirtIO 1.2 §4.2), Version 2 and the legacy Version 1 (§4.2.4) that
    /// QEMU uses by default (<c>force-legacy=true</c>). One window per device, one interrupt line.
    /// </summary>
    public sealed class VirtioMmioTransport : VirtioTransportBase
    {
        private const int MaxQueueSizeLimit = 32768;

        private readonly IRegisterBlock _registers;
        private readonly VirtioDeviceType _deviceType;
        private readonly int _version;
        private readonly IInterruptSource _line;
        private int _queueCount = -1;
        private IInterruptSource? _interrupts;

        private VirtioMmioTransport(IRegisterBlock registers, VirtioDeviceType deviceType, int version, IInterruptSource line)
        {
            _registers = registers;
            _deviceType = deviceType;
            _version = version;
            _line = line;
        }

        /// <summary>The register layout version: 1 (legacy) or 2.</summary>
        public int Version => _version;

        /// <inheritdoc />
        public override VirtioDeviceType DeviceType => _deviceType;

        /// <inheritdoc />
        public override VirtioTransportKind Kind => _version == 1 ? VirtioTransportKind.MmioV1 : VirtioTransportKind.MmioV2;

        /// <inheritdoc />
        public override bool IsLegacy => _version == 1;

        /// <inheritdoc />
        public override bool HasConfigGeneration => _version >= 2;

        /// <inheritdoc />
        public override bool QueueSizeIsFixed => false;

        /// <inheritdoc />
        public override int QueueCount => ProbeQueueCount(ref _queueCount);

        /// <inheritdoc />
        protected override IRegisterBlock? ConfigRegisters => _registers;

        /// <inheritdoc />
        protected override ulong ConfigBaseOffset => VirtioMmioRegisters.Config;

        /// <inheritdoc />
        protected override string Name => $"{VirtioDeviceTypeNames.DriverName(_deviceType)} (mmio {_registers.Description})";

        /// <summary>
        /// Looks at a window that may hold a VirtIO MMIO transport: magic, version, then DeviceID
        /// (§4.2.3.1.1: a DeviceID of 0 means no device, and no other register may be touched).
        /// <paramref name="line"/> is the platform interrupt wired to the window (a polled source when
        /// none is: ACPI and the kernel command line name the GSI; probing alone does not).
        /// </summary>
        public static VirtioMmioProbeStatus Probe(IRegisterBlock registers, IInterruptSource line, out VirtioMmioTransport? transport)
        {
            ArgumentNullException.ThrowIfNull(registers);
            ArgumentNullException.ThrowIfNull(line);
            transport = null;
            if (registers.Length < VirtioMmioRegisters.Config)
            {
                return VirtioMmioProbeStatus.WindowTooSmall;
            }

            if (registers.Read32(VirtioMmioRegisters.MagicValue) != VirtioMmioRegisters.Magic)
            {
                return VirtioMmioProbeStatus.NotVirtio;
            }

            uint version = registers.Read32(VirtioMmioRegisters.Version);
            if (version != 1 && version != 2)
            {
                return VirtioMmioProbeStatus.UnsupportedVersion;
            }

            uint deviceId = registers.Read32(VirtioMmioRegisters.DeviceId);
            if (deviceId == 0)
            {
                return VirtioMmioProbeStatus.EmptySlot;
            }

            transport = new VirtioMmioTransport(registers, (VirtioDeviceType)(ushort)deviceId, (int)version, line);
            return VirtioMmioProbeStatus.Found;
        }

        /// <inheritdoc />
        public override string Describe() =>
            $"mmio v{_version} {_registers.Description} {VirtioDeviceTypeNames.ShortName(_deviceType)}: "
            + $"vendor 0x{_registers.Read32(VirtioMmioRegisters.VendorId):x}, {InterruptModeNames.Describe(_interrupts)}";

        /// <inheritdoc />
        public override ulong ReadDeviceFeatures() =>
            ReadSelectedFeatures(_registers, VirtioMmioRegisters.DeviceFeaturesSel, VirtioMmioRegisters.DeviceFeatures);

        /// <inheritdoc />
        public override void WriteDriverFeatures(ulong features) =>
            WriteSelectedFeatures(_registers, VirtioMmioRegisters.DriverFeaturesSel, VirtioMmioRegisters.DriverFeatures, features);

        /// <inheritdoc />
        public override VirtioDeviceStatus ReadStatus() => (VirtioDeviceStatus)(byte)_registers.Read32(VirtioMmioRegisters.Status);

        /// <inheritdoc />
        public override void WriteStatus(VirtioDeviceStatus status) => _registers.Write32(VirtioMmioRegisters.Status, (byte)status);

        /// <inheritdoc />
        protected override uint ReadConfigGeneration() => _registers.Read32(VirtioMmioRegisters.ConfigGeneration);

        /// <inheritdoc />
        public override int GetMaxQueueSize(int queue)
        {
            if (queue < 0 || queue >= MaxProbedQueues)
            {
                return 0;
            }

            _registers.Write32(VirtioMmioRegisters.QueueSel, (uint)queue);
            uint max = _registers.Read32(VirtioMmioRegisters.QueueNumMax);
            return (int)Math.Min(max, MaxQueueSizeLimit);
        }

        /// <inheritdoc />
        public override VirtioResult SetUpQueue(int queue, int size, VirtqueueAddresses addresses)
        {
            if (size < 1 || size > MaxQueueSizeLimit || (size & (size - 1)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), $"queue size {size} is not a power of two up to {MaxQueueSizeLimit}");
            }

            if (_version == 1)
            {
                VirtqueueLegacyLayoutCheck.Require(size, addresses, VirtioMmioRegisters.LegacyPageSize);
            }

            _registers.Write32(VirtioMmioRegisters.QueueSel, (uint)queue);
            ulong inUse = _registers.Read32(_version == 1 ? VirtioMmioRegisters.QueuePfn : VirtioMmioRegisters.QueueReady);
            if (inUse != 0)
            {
                return VirtioResult.Failure($"{Name}: queue {queue} is already in use");
            }

            if (_version == 1)
            {
                // §4.2.4: page size, size, used-ring alignment, then the page frame number that makes it live.
                ulong frame = addresses.DescriptorTable >> VirtioMmioRegisters.LegacyPageShift;
                if (frame == 0 || frame > uint.MaxValue)
                {
                    return VirtioResult.Failure(
                        $"{Name}: queue {queue} at 0x{addresses.DescriptorTable:x} cannot be given as a 32-bit page frame number");
                }

                _registers.Write32(VirtioMmioRegisters.GuestPageSize, VirtioMmioRegisters.LegacyPageSize);
                _registers.Write32(VirtioMmioRegisters.QueueNum, (uint)size);
                _registers.Write32(VirtioMmioRegisters.QueueAlign, VirtioMmioRegisters.LegacyPageSize);
                _registers.Write32(VirtioMmioRegisters.QueuePfn, (uint)frame);
                return VirtioResult.Success;
            }

            // §4.2.3.2: size, then the three areas; QueueReady in EnableQueue.
            _registers.Write32(VirtioMmioRegisters.QueueNum, (uint)size);
            Register64.Write(_registers, VirtioMmioRegisters.QueueDescLow, addresses.DescriptorTable);
            Register64.Write(_registers, VirtioMmioRegisters.QueueDriverLow, addresses.DriverArea);
            Register64.Write(_registers, VirtioMmioRegisters.QueueDeviceLow, addresses.DeviceArea);
            return VirtioResult.Success;
        }

        /// <inheritdoc />
        public override void EnableQueue(int queue)
        {
            if (_version == 1)
            {
                return; // the page frame number made it live
            }

            _registers.Write32(VirtioMmioRegisters.QueueSel, (uint)queue);
            _registers.Write32(VirtioMmioRegisters.QueueReady, 1);
        }

        /// <inheritdoc />
        public override void Notify(int queue) => _registers.Write32(VirtioMmioRegisters.QueueNotify, (uint)queue);

        /// <inheritdoc />
        public override IInterruptSource EnableInterrupts(int queueCount)
        {
            _interrupts = _line;
            return _interrupts;
        }

        /// <inheritdoc />
        public override bool SetConfigVector(int vector) => false;

        /// <inheritdoc />
        public override bool SetQueueVector(int queue, int vector) => false;

        /// <inheritdoc />
        public override VirtioInterruptCause AcknowledgeInterrupt()
        {
            // §4.2.3.4: read InterruptStatus, then write the handled bits to InterruptACK.
            uint status = _registers.Read32(VirtioMmioRegisters.InterruptStatus)
                & (uint)(VirtioInterruptCause.UsedBuffer | VirtioInterruptCause.ConfigurationChange);
            if (status != 0)
            {
                _registers.Write32(VirtioMmioRegisters.InterruptAck, status);
            }

            return (VirtioInterruptCause)status;
        }
    }
}
