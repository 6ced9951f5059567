using System.Collections.Generic;
using System.IO;
using Cosmos.HAL.Devices;

namespace CosmosKernel.Commands
{
    /// <summary><c>lsdev</c>: the devices drivers made, and bus devices no driver took.</summary>
    public sealed class LsdevCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly DeviceManager _devices;

        public LsdevCommand(DeviceManager devices) => _devices = devices;

        public string Name => "lsdev";

        public string Summary => "lsdev                list devices with driver, transport and interrupt mode";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (_devices.Devices.Count == 0)
            {
                output.WriteLine("no devices");
            }
            else
            {
                output.WriteLine($"{"NAME",-8} {"CLASS",-8} {"DRIVER",-14} {"IRQ",-7} TRANSPORT");
                foreach (DeviceEntry entry in _devices.Devices)
                {
                    IDevice device = entry.Device;
                    // A disk's size is read each time: a virtio-blk disk re-reads it after a configuration change.
                    string size = device is IBlockDevice disk ? $"  {disk.BlockCount} blocks of {disk.BlockSize} B" : "";
                    output.WriteLine($"{entry.Name,-8} {device.Class,-8} {device.DriverName,-14} {device.InterruptMode,-7} {device.Transport}{size}");
                }
            }

            foreach (BusDeviceBinding binding in _devices.Bindings)
            {
                if (binding.Error != null)
                {
                    output.WriteLine($"not bound: {binding.Device.Bus} {binding.Device.Address}: {binding.Error}");
                }
            }

            return 0;
        }
    }
}
