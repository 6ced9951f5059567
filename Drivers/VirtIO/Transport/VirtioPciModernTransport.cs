using System;
using System.Collections.Generic;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// The VirtIO 1.x PCI transport (VirtIO 1.2 §4.1): common configuration, notify, ISR and device
    /// configuration regions, each found through its vendor capability.
    /// </summary>
    public sealed class VirtioPciModernTransport : VirtioTransportBase
    {
        private const int MaxQueueSizeLimit = 32768;

        private readonly IPciFunction _function;
        private readonly VirtioDeviceType _deviceType;
        private readonly IRegisterBlock _common;
        private readonly IRegisterBlock _notify;
        private readonly IRegisterBlock _isr;
        private readonly IRegisterBlock? _device;
        private readonly VirtioPciCapability _commonCapability;
        private readonly VirtioPciCapability _notifyCapability;
        private readonly VirtioPciCapability _isrCapability;
        private readonly VirtioPciCapability? _deviceCapability;
        private readonly ulong[] _notifyOffsets;
        private readonly int _queueCount;
        private IInterruptSource? _interrupts;

        private VirtioPciModernTransport(
            IPciFunction function,
            VirtioDeviceType deviceType,
            VirtioPciCapability common,
            VirtioPciCapability notify,
            VirtioPciCapability isr,
            VirtioPciCapability? device)
        {
            _function = function;
            _deviceType = deviceType;
            _commonCapability = common;
            _notifyCapability = notify;
            _isrCapability = isr;
            _deviceCapability = device;
            _common = function.MapBar(common.Bar, common.Offset, common.Length);
            _notify = function.MapBar(notify.Bar, notify.Offset, notify.Length);
            _isr = function.MapBar(isr.Bar, isr.Offset, isr.Length);
            if (device is VirtioPciCapability deviceRegion && deviceRegion.Length > 0)
            {
                _device = function.MapBar(deviceRegion.Bar, deviceRegion.Offset, deviceRegion.Length);
            }

            _queueCount = _common.Read16(VirtioPciModernRegisters.NumQueues);
            _notifyOffsets = new ulong[_queueCount];
        }

        /// <inheritdoc />
        public override VirtioDeviceType DeviceType => _deviceType;

        /// <inheritdoc />
        public override VirtioTransportKind Kind => VirtioTransportKind.PciModern;

        /// <inheritdoc />
        public override bool IsLegacy => false;

        /// <inheritdoc />
        public override bool HasConfigGeneration => true;

        /// <inheritdoc />
        public override int QueueCount => _queueCount;

        /// <inheritdoc />
        public override bool QueueSizeIsFixed => false;

        /// <inheritdoc />
        protected override IRegisterBlock? ConfigRegisters => _device;

        /// <inheritdoc />
        protected override ulong ConfigBaseOffset => 0;

        /// <inheritdoc />
        protected override string Name => $"{VirtioDeviceTypeNames.DriverName(_deviceType)} (pci-modern {_function.Address})";

        /// <summary>True when the function has usable common, notify and ISR capabilities.</summary>
        public static bool HasModernCapabilities(IPciFunction function)
        {
            List<VirtioPciCapability> capabilities = VirtioPciCapabilityReader.ReadAll(function);
            return VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.CommonConfig) is not null
                && VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.NotifyConfig) is not null
                && VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.IsrConfig) is not null;
        }

        /// <summary>Finds the regions of <paramref name="function"/> and maps them.</summary>
        public static VirtioResult<VirtioPciModernTransport> Create(IPciFunction function, VirtioDeviceType deviceType)
        {
            ArgumentNullException.ThrowIfNull(function);
            string who = $"{VirtioDeviceTypeNames.DriverName(deviceType)} (pci {function.Address})";
            List<VirtioPciCapability> capabilities = VirtioPciCapabilityReader.ReadAll(function);
            VirtioPciCapability? common = VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.CommonConfig);
            VirtioPciCapability? notify = VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.NotifyConfig);
            VirtioPciCapability? isr = VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.IsrConfig);
            VirtioPciCapability? device = VirtioPciCapabilityReader.FindUsable(function, capabilities, VirtioPciModernRegisters.DeviceConfig);
            if (common is not VirtioPciCapability commonRegion)
            {
                return VirtioResult<VirtioPciModernTransport>.Failure($"{who}: no usable common configuration capability");
            }

            if (notify is not VirtioPciCapability notifyRegion)
            {
                return VirtioResult<VirtioPciModernTransport>.Failure($"{who}: no usable notify capability");
            }

            if (isr is not VirtioPciCapability isrRegion || isrRegion.Length == 0)
            {
                return VirtioResult<VirtioPciModernTransport>.Failure($"{who}: no usable ISR capability");
            }

            if (commonRegion.Length < VirtioPciModernRegisters.CommonConfigMinimumLength)
            {
                return VirtioResult<VirtioPciModernTransport>.Failure(
                    $"{who}: common configuration is {commonRegion.Length} bytes, at least {VirtioPciModernRegisters.CommonConfigMinimumLength} expected");
            }

            return VirtioResult<VirtioPciModernTransport>.Success(
                new VirtioPciModernTransport(function, deviceType, commonRegion, notifyRegion, isrRegion, device));
        }

        /// <inheritdoc />
        public override string Describe()
        {
            string deviceRegion = _deviceCapability is VirtioPciCapability d ? Region(d) : "none";
            return $"pci-modern {_function.Address} {VirtioDeviceTypeNames.ShortName(_deviceType)}: common {Region(_commonCapability)}, "
                + $"notify {Region(_notifyCapability)} x{_notifyCapability.NotifyOffMultiplier}, isr {Region(_isrCapability)}, "
                + $"device {deviceRegion}, {InterruptModeNames.Describe(_interrupts)}";
        }

        /// <inheritdoc />
        public override ulong ReadDeviceFeatures() =>
            ReadSelectedFeatures(_common, VirtioPciModernRegisters.DeviceFeatureSelect, VirtioPciModernRegisters.DeviceFeature);

        /// <inheritdoc />
        public override void WriteDriverFeatures(ulong features) =>
            WriteSelectedFeatures(_common, VirtioPciModernRegisters.DriverFeatureSelect, VirtioPciModernRegisters.DriverFeature, features);

        /// <inheritdoc />
        public override VirtioDeviceStatus ReadStatus() => (VirtioDeviceStatus)_common.Read8(VirtioPciModernRegisters.DeviceStatus);

        /// <inheritdoc />
        public override void WriteStatus(VirtioDeviceStatus status) => _common.Write8(VirtioPciModernRegisters.DeviceStatus, (byte)status);

        /// <inheritdoc />
        protected override uint ReadConfigGeneration() => _common.Read8(VirtioPciModernRegisters.ConfigGeneration);

        /// <inheritdoc />
        public override int GetMaxQueueSize(int queue)
        {
            if ((uint)queue >= (uint)_queueCount)
            {
                return 0;
            }

            _common.Write16(VirtioPciModernRegisters.QueueSelect, (ushort)queue);
            return _common.Read16(VirtioPciModernRegisters.QueueSize);
        }

        /// <inheritdoc />
        public override VirtioResult SetUpQueue(int queue, int size, VirtqueueAddresses addresses)
        {
            CheckQueue(queue);
            if (size < 1 || size > MaxQueueSizeLimit || (size & (size - 1)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), $"queue size {size} is not a power of two up to {MaxQueueSizeLimit}");
            }

            // §4.1.5.1.3: select, check it is not live, size, the three areas; enabled separately.
            _common.Write16(VirtioPciModernRegisters.QueueSelect, (ushort)queue);
            if (_common.Read16(VirtioPciModernRegisters.QueueEnable) != 0)
            {
                return VirtioResult.Failure($"{Name}: queue {queue} is already enabled");
            }

            _common.Write16(VirtioPciModernRegisters.QueueSize, (ushort)size);
            Register64.Write(_common, VirtioPciModernRegisters.QueueDesc, addresses.DescriptorTable);
            Register64.Write(_common, VirtioPciModernRegisters.QueueDriver, addresses.DriverArea);
            Register64.Write(_common, VirtioPciModernRegisters.QueueDevice, addresses.DeviceArea);

            // §4.1.4.4: the queue's notify address is cap.offset + queue_notify_off * notify_off_multiplier.
            ushort notifyOff = _common.Read16(VirtioPciModernRegisters.QueueNotifyOff);
            ulong offset = (ulong)notifyOff * _notifyCapability.NotifyOffMultiplier;
            if (offset + VirtioPciModernRegisters.NotifyWidth > _notify.Length)
            {
                return VirtioResult.Failure(
                    $"{Name}: queue {queue} notify offset 0x{offset:x} (queue_notify_off {notifyOff}) is outside the {_notify.Length}-byte notify region");
            }

            _notifyOffsets[queue] = offset;
            return VirtioResult.Success;
        }

        /// <inheritdoc />
        public override void EnableQueue(int queue)
        {
            CheckQueue(queue);
            _common.Write16(VirtioPciModernRegisters.QueueSelect, (ushort)queue);
            _common.Write16(VirtioPciModernRegisters.QueueEnable, 1);
        }

        /// <inheritdoc />
        public override void Notify(int queue)
        {
            // §4.1.5.2: without VIRTIO_F_NOTIFICATION_DATA the notification is the le16 queue index.
            _notify.Write16(_notifyOffsets[queue], (ushort)queue);
        }

        /// <inheritdoc />
        public override IInterruptSource EnableInterrupts(int queueCount)
        {
            if (queueCount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(queueCount));
            }

            _interrupts = _function.EnableInterrupts(queueCount + 1);
            return _interrupts;
        }

        /// <inheritdoc />
        public override bool SetConfigVector(int vector)
        {
            if (_interrupts is null || _interrupts.Mode != InterruptMode.MsiX)
            {
                return false;
            }

            // §4.1.5.1.2: write the table entry, read back; NO_VECTOR back means refused.
            ushort value = vector < 0 ? VirtioPciModernRegisters.NoVector : (ushort)vector;
            _common.Write16(VirtioPciModernRegisters.ConfigMsixVector, value);
            return _common.Read16(VirtioPciModernRegisters.ConfigMsixVector) == value;
        }

        /// <inheritdoc />
        public override bool SetQueueVector(int queue, int vector)
        {
            CheckQueue(queue);
            if (_interrupts is null || _interrupts.Mode != InterruptMode.MsiX)
            {
                return false;
            }

            ushort value = vector < 0 ? VirtioPciModernRegisters.NoVector : (ushort)vector;
            _common.Write16(VirtioPciModernRegisters.QueueSelect, (ushort)queue);
            _common.Write16(VirtioPciModernRegisters.QueueMsixVector, value);
            return _common.Read16(VirtioPciModernRegisters.QueueMsixVector) == value;
        }

        /// <inheritdoc />
        public override VirtioInterruptCause AcknowledgeInterrupt() =>
            (VirtioInterruptCause)(_isr.Read8(0) & (byte)(VirtioInterruptCause.UsedBuffer | VirtioInterruptCause.ConfigurationChange));

        private static string Region(VirtioPciCapability capability) => $"bar{capability.Bar}+0x{capability.Offset:x}";

        private void CheckQueue(int queue)
        {
            if ((uint)queue >= (uint)_queueCount)
            {
                throw new ArgumentOutOfRangeException(nameof(queue), $"{Name}: queue {queue} does not exist ({_queueCount} queues)");
            }
        }
    }
}
