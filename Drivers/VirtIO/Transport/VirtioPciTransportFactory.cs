using System;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// Recognises VirtIO PCI functions (VirtIO 1.2 §4.1.2) and picks their transport: the modern
    /// interface whenever its capabilities are there (so transitional devices are driven as VirtIO
    /// 1.x devices), else the legacy I/O BAR.
    /// </summary>
    public static class VirtioPciTransportFactory
    {
        /// <summary>The PCI vendor ID of every VirtIO device.</summary>
        public const ushort VendorId = 0x1AF4;

        /// <summary>First transitional (legacy-capable) device ID; the device type is the subsystem ID.</summary>
        public const ushort FirstTransitionalDeviceId = 0x1000;

        /// <summary>Last transitional device ID.</summary>
        public const ushort LastTransitionalDeviceId = 0x103F;

        /// <summary>Modern device IDs are this plus the device type.</summary>
        public const ushort ModernDeviceIdBase = 0x1040;

        /// <summary>Last modern device ID.</summary>
        public const ushort LastModernDeviceId = 0x107F;

        /// <summary>True when <paramref name="function"/> is a VirtIO device (vendor 0x1AF4, device 0x1000–0x107F).</summary>
        public static bool IsVirtio(IPciFunction function) =>
            function.VendorId == VendorId
            && function.DeviceId >= FirstTransitionalDeviceId
            && function.DeviceId <= LastModernDeviceId;

        /// <summary>
        /// The device type: 0x1040 + type for modern IDs; for transitional IDs 0x1000–0x103F the
        /// subsystem device ID (§4.1.2.3). <see cref="VirtioDeviceType.Invalid"/> for other IDs.
        /// </summary>
        public static VirtioDeviceType GetDeviceType(ushort deviceId, ushort subsystemId)
        {
            if (deviceId >= ModernDeviceIdBase && deviceId <= LastModernDeviceId)
            {
                return (VirtioDeviceType)(deviceId - ModernDeviceIdBase);
            }

            if (deviceId >= FirstTransitionalDeviceId && deviceId <= LastTransitionalDeviceId)
            {
                return (VirtioDeviceType)subsystemId;
            }

            return VirtioDeviceType.Invalid;
        }

        /// <summary>Creates the transport for <paramref name="function"/>, or says why there is none.</summary>
        public static VirtioResult<IVirtioTransport> Create(IPciFunction function)
        {
            ArgumentNullException.ThrowIfNull(function);
            if (!IsVirtio(function))
            {
                return VirtioResult<IVirtioTransport>.Failure(
                    $"virtio-pci {function.Address}: {function.VendorId:x4}:{function.DeviceId:x4} is not a VirtIO device");
            }

            VirtioDeviceType type = GetDeviceType(function.DeviceId, function.SubsystemId);
            if (type == VirtioDeviceType.Invalid)
            {
                return VirtioResult<IVirtioTransport>.Failure(
                    $"virtio-pci {function.Address}: device 0x{function.DeviceId:x4} names no device type (subsystem 0x{function.SubsystemId:x4})");
            }

            if (VirtioPciModernTransport.HasModernCapabilities(function))
            {
                VirtioResult<VirtioPciModernTransport> modern = VirtioPciModernTransport.Create(function, type);
                return modern.IsSuccess
                    ? VirtioResult<IVirtioTransport>.Success(modern.Value)
                    : VirtioResult<IVirtioTransport>.Failure(modern.Error!);
            }

            if (function.DeviceId >= ModernDeviceIdBase)
            {
                // A modern-only ID promises the capabilities; say which one is missing.
                VirtioResult<VirtioPciModernTransport> modern = VirtioPciModernTransport.Create(function, type);
                return VirtioResult<IVirtioTransport>.Failure(modern.Error ?? $"virtio-pci {function.Address}: no usable modern capabilities");
            }

            VirtioResult<VirtioPciLegacyTransport> legacy = VirtioPciLegacyTransport.Create(function, type);
            return legacy.IsSuccess
                ? VirtioResult<IVirtioTransport>.Success(legacy.Value)
                : VirtioResult<IVirtioTransport>.Failure(legacy.Error!);
        }
    }
}
