using System;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.Drivers.VirtIO.Gpu;
using Cosmos.Drivers.VirtIO.Input;
using Cosmos.Drivers.VirtIO.Net;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// Takes VirtIO devices from the PCI bus (vendor 0x1AF4) and the virtio-mmio bus, makes their
    /// transport, and hands them to the driver for their device type. A type without a driver yet
    /// is registered as a core-only device, so listings show what is there and how it is reached.
    /// </summary>
    public sealed class VirtioDriver : IDriver
    {
        private readonly IDmaAllocator _dma;
        private readonly ICompletionWaiter _waiter;

        private readonly Action<string>? _log;

        /// <summary>
        /// A driver allocating queues from <paramref name="dma"/>; disks and network interfaces report configuration
        /// changes and device faults to <paramref name="log"/> (the console by default in the catalog; null: nowhere).
        /// </summary>
        public VirtioDriver(IDmaAllocator dma, ICompletionWaiter waiter, Action<string>? log = null)
        {
            _dma = dma;
            _waiter = waiter;
            _log = log;
        }

        /// <inheritdoc />
        public string Name => "virtio";

        /// <inheritdoc />
        public bool Matches(IBusDevice device) =>
            device is VirtioMmioSlot || (device is IPciFunction function && VirtioPciTransportFactory.IsVirtio(function));

        /// <inheritdoc />
        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            IVirtioTransport transport;
            if (device is VirtioMmioSlot slot)
            {
                transport = slot.Transport;
            }
            else
            {
                VirtioResult<IVirtioTransport> created = VirtioPciTransportFactory.Create((IPciFunction)device);
                if (!created.IsSuccess)
                {
                    return created.Error;
                }

                transport = created.Value;
            }

            switch (transport.DeviceType)
            {
                case VirtioDeviceType.Block:
                    VirtioResult<VirtioBlockDevice> disk = VirtioBlockDevice.Start(transport, _dma, _waiter);
                    if (!disk.IsSuccess)
                    {
                        return disk.Error;
                    }

                    disk.Value.Name = manager.Register(disk.Value).Name;
                    disk.Value.Log = _log;
                    return null;
                case VirtioDeviceType.Network:
                    VirtioResult<VirtioNetDevice> nic = VirtioNetDevice.Start(transport, _dma);
                    if (!nic.IsSuccess)
                    {
                        return nic.Error;
                    }

                    nic.Value.Name = manager.Register(nic.Value).Name;
                    nic.Value.Log = _log;
                    return null;
                case VirtioDeviceType.Gpu:
                    VirtioResult<VirtioGpuDevice> gpu = VirtioGpuDevice.Start(transport, _dma, _waiter);
                    if (!gpu.IsSuccess)
                    {
                        return gpu.Error;
                    }

                    manager.Register(gpu.Value);
                    return null;
                case VirtioDeviceType.Input:
                    VirtioResult<VirtioInputDevice> input = VirtioInputDevice.Start(transport, _dma);
                    if (!input.IsSuccess)
                    {
                        return input.Error;
                    }

                    manager.Register(input.Value);
                    return null;
                default:
                    manager.Register(new VirtioCoreOnlyDevice(transport));
                    return null;
            }
        }
    }

    /// <summary>A VirtIO device whose type has no driver yet: listed with its transport, left reset.</summary>
    public sealed class VirtioCoreOnlyDevice : IDevice
    {
        /// <summary>Describes the device behind <paramref name="transport"/>.</summary>
        public VirtioCoreOnlyDevice(IVirtioTransport transport)
        {
            DeviceType = transport.DeviceType;
            Transport = transport.Describe();
            DriverName = VirtioDeviceTypeNames.DriverName(transport.DeviceType) + " (no driver yet)";
        }

        /// <summary>The VirtIO device type.</summary>
        public VirtioDeviceType DeviceType { get; }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Other;

        /// <inheritdoc />
        public string NameStem => "virtio";

        /// <inheritdoc />
        public string DriverName { get; }

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => InterruptMode.Polled;
    }
}
