using System.Collections.Generic;
using System.IO;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Pci;

namespace CosmosKernel.Commands
{
    /// <summary><c>lsslot</c>: the PCI Express hot-plug slots, their power and card, and the devices the card brought.</summary>
    public sealed class LsslotCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly DeviceManager _devices;

        public LsslotCommand(DeviceManager devices) => _devices = devices;

        public string Name => "lsslot";

        public string Summary => "lsslot               list hot-plug slots: power, card, devices (QMP device_del/device_add)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count > 0)
            {
                output.WriteLine($"lsslot: unexpected argument '{arguments[0]}' (usage: lsslot)");
                return 2;
            }

            int slots = 0;
            foreach (IBus bus in _devices.Buses)
            {
                if (bus is not PciBus { Hotplug: PciHotplugController controller })
                {
                    continue;
                }

                foreach (PciExpressSlot slot in controller.Slots)
                {
                    slots++;
                    string power = slot.IsPowered ? "power on" : "power off";
                    string card = slot.IsOccupied ? "card present" : "empty";
                    output.WriteLine($"{slot}: bus {slot.Bus:x2}, {power}, {card}");
                    foreach (PciFunction function in controller.FunctionsIn(slot))
                    {
                        var names = new List<string>();
                        foreach (DeviceEntry entry in _devices.DevicesOf(function))
                        {
                            names.Add(entry.Name);
                        }

                        output.WriteLine($"  {function}  {(names.Count == 0 ? "no device" : string.Join(", ", names))}");
                    }
                }
            }

            if (slots == 0)
            {
                output.WriteLine("lsslot: no hot-plug slots (PCI Express ports with a Hot-Plug Capable slot; QEMU: q35 with pcie-root-port and ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off)");
            }

            return 0;
        }
    }
}
