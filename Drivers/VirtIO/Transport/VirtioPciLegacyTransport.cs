using System;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// The legacy (VirtIO 0.9.5) PCI transport through I/O BAR0 (VirtIO 1.2 §4.1.4.8): 32 feature
    /// bits, a read-only queue size, queues given as one page frame number, no FEATURES_OK.
    /// </summary>
    public sealed class VirtioPciLegacyTransport : VirtioTransportBase
    {

        private readonly IPciFunction _function;
        private readonly VirtioDeviceType _deviceType;
        private readonly IRegisterBlock _registers;
        private int _queueCount = -1;
        private IInterruptSource? _interrupts;
        private bool _msixEnabled;

        private VirtioPciLegacyTransport(IPciFunction function, VirtioDeviceType deviceType, IRegisterBlock registers)
        {
            _function = function;
            _deviceType = deviceType;
            _registers = registers;
        }

        /// <inheritdoc />
        public override VirtioDeviceType DeviceType => _deviceType;

        /// <inheritdoc />
        public override VirtioTransportKind Kind => VirtioTransportKind.PciLegacy;

        /// <inheritdoc />
        public override bool IsLegacy => true;

        /// <inheritdoc />
        public override bool HasConfigGeneration => false;

        /// <inheritdoc />
        public override bool QueueSizeIsFixed => true;

        /// <inheritdoc />
        public override int QueueCount => ProbeQueueCount(ref _queueCount);

        /// <inheritdoc />
        protected override IRegisterBlock? ConfigRegisters => _registers;

        /// <inheritdoc />
        protected override ulong ConfigBaseOffset =>
            _msixEnabled ? VirtioPciLegacyRegisters.DeviceConfigWithMsix : VirtioPciLegacyRegisters.DeviceConfig;

        /// <inheritdoc />
        protected override string Name => $"{VirtioDeviceTypeNames.DriverName(_deviceType)} (pci-legacy {_function.Address})";

        /// <summary>Maps I/O BAR0 of <paramref name="function"/>.</summary>
        public static VirtioResult<VirtioPciLegacyTransport> Create(IPciFunction function, VirtioDeviceType deviceType)
        {
            ArgumentNullException.ThrowIfNull(function);
            for (int i = 0; i < function.Bars.Count; i++)
            {
                PciBar bar = function.Bars[i];
                if (bar.Index != 0)
                {
                    continue;
                }

                if (bar.Kind != PciBarKind.Io || bar.Size < VirtioPciLegacyRegisters.DeviceConfigWithMsix)
                {
                    break;
                }

                IRegisterBlock registers = function.MapBar(0, 0, bar.Size);
                return VirtioResult<VirtioPciLegacyTransport>.Success(new VirtioPciLegacyTransport(function, deviceType, registers));
            }

            return VirtioResult<VirtioPciLegacyTransport>.Failure(
                $"{VirtioDeviceTypeNames.DriverName(deviceType)} (pci {function.Address}): no legacy I/O BAR0 of at least 0x18 bytes");
        }

        /// <inheritdoc />
        public override string Describe() =>
            $"pci-legacy {_function.Address} {VirtioDeviceTypeNames.ShortName(_deviceType)}: {_registers.Description}, "
            + $"config at 0x{ConfigBaseOffset:x}, {InterruptModeNames.Describe(_interrupts)}";

        /// <inheritdoc />
        public override ulong ReadDeviceFeatures() => _registers.Read32(VirtioPciLegacyRegisters.DeviceFeatures);

        /// <inheritdoc />
        public override void WriteDriverFeatures(ulong features)
        {
            if ((features >> 32) != 0)
            {
                throw new ArgumentException($"{Name}: legacy PCI carries feature bits 0-31 only, got 0x{features:x}", nameof(features));
            }

            _registers.Write32(VirtioPciLegacyRegisters.DriverFeatures, (uint)features);
        }

        /// <inheritdoc />
        public override VirtioDeviceStatus ReadStatus() => (VirtioDeviceStatus)_registers.Read8(VirtioPciLegacyRegisters.DeviceStatus);

        /// <inheritdoc />
        public override void WriteStatus(VirtioDeviceStatus status) => _registers.Write8(VirtioPciLegacyRegisters.DeviceStatus, (byte)status);

        /// <inheritdoc />
        protected override uint ReadConfigGeneration() => 0;

        /// <inheritdoc />
        public override int GetMaxQueueSize(int queue)
        {
            if (queue < 0 || queue >= MaxProbedQueues)
            {
                return 0;
            }

            _registers.Write16(VirtioPciLegacyRegisters.QueueSelect, (ushort)queue);
            return _registers.Read16(VirtioPciLegacyRegisters.QueueSize);
        }

        /// <inheritdoc />
        public override VirtioResult SetUpQueue(int queue, int size, VirtqueueAddresses addresses)
        {
            VirtqueueLegacyLayoutCheck.Require(size, addresses, VirtioPciLegacyRegisters.QueueAlignment);
            _registers.Write16(VirtioPciLegacyRegisters.QueueSelect, (ushort)queue);
            int deviceSize = _registers.Read16(VirtioPciLegacyRegisters.QueueSize);
            if (deviceSize != size)
            {
                return VirtioResult.Failure($"{Name}: queue {queue} has the fixed size {deviceSize}, not {size}");
            }

            if (_registers.Read32(VirtioPciLegacyRegisters.QueueAddress) != 0)
            {
                return VirtioResult.Failure($"{Name}: queue {queue} is already in use");
            }

            ulong frame = addresses.DescriptorTable >> VirtioPciLegacyRegisters.QueueAddressShift;
            if (frame == 0 || frame > uint.MaxValue)
            {
                return VirtioResult.Failure(
                    $"{Name}: queue {queue} at 0x{addresses.DescriptorTable:x} cannot be given as a 32-bit page frame number");
            }

            // Writing the page frame number makes the queue live (§4.1.4.8).
            _registers.Write32(VirtioPciLegacyRegisters.QueueAddress, (uint)frame);
            return VirtioResult.Success;
        }

        /// <inheritdoc />
        public override void EnableQueue(int queue)
        {
            // Nothing to do: the queue went live when its address was written.
        }

        /// <inheritdoc />
        public override void Notify(int queue) => _registers.Write16(VirtioPciLegacyRegisters.QueueNotify, (ushort)queue);

        /// <inheritdoc />
        public override IInterruptSource EnableInterrupts(int queueCount)
        {
            if (queueCount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(queueCount));
            }

            _interrupts = _function.EnableInterrupts(queueCount + 1);

            // §4.1.4.8: with MSI-X enabled the two vector registers appear and configuration moves to 0x18.
            _msixEnabled = _interrupts.Mode == InterruptMode.MsiX;
            return _interrupts;
        }

        /// <inheritdoc />
        public override bool SetConfigVector(int vector)
        {
            if (!_msixEnabled)
            {
                return false;
            }

            ushort value = vector < 0 ? VirtioPciLegacyRegisters.NoVector : (ushort)vector;
            _registers.Write16(VirtioPciLegacyRegisters.ConfigMsixVector, value);
            return _registers.Read16(VirtioPciLegacyRegisters.ConfigMsixVector) == value;
        }

        /// <inheritdoc />
        public override bool SetQueueVector(int queue, int vector)
        {
            if (!_msixEnabled)
            {
                return false;
            }

            ushort value = vector < 0 ? VirtioPciLegacyRegisters.NoVector : (ushort)vector;
            _registers.Write16(VirtioPciLegacyRegisters.QueueSelect, (ushort)queue);
            _registers.Write16(VirtioPciLegacyRegisters.QueueMsixVector, value);
            return _registers.Read16(VirtioPciLegacyRegisters.QueueMsixVector) == value;
        }

        /// <inheritdoc />
        public override VirtioInterruptCause AcknowledgeInterrupt() =>
            (VirtioInterruptCause)(_registers.Read8(VirtioPciLegacyRegisters.IsrStatus)
                & (byte)(VirtioInterruptCause.UsedBuffer | VirtioInterruptCause.ConfigurationChange));
    }
}
