using System.Collections.Generic;
using System.IO;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Pci;

namespace CosmosKernel.Commands
{
    /// <summary><c>lspci</c>: PCI functions with ids, class, BARs, interrupt mode and the driver bound.</summary>
    public sealed class LspciCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly DeviceManager _devices;

        public LspciCommand(DeviceManager devices) => _devices = devices;

        public string Name => "lspci";

        public string Summary => "lspci [-v]           list PCI devices with ids, class, BARs, driver (-v: more)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            bool verbose = arguments.Count > 0 && arguments[0] == "-v";
            if (arguments.Count > (verbose ? 1 : 0))
            {
                output.WriteLine($"lspci: unexpected argument '{arguments[arguments.Count - 1]}' (usage: lspci [-v])");
                return 2;
            }

            var functions = new List<(PciFunction Function, string Driver)>();
            foreach (BusDeviceBinding binding in _devices.Bindings)
            {
                if (binding.Device is PciFunction function)
                {
                    functions.Add((function, binding.DriverName ?? (binding.Error != null ? "(failed: " + binding.Error + ")" : "-")));
                }
            }

            if (functions.Count == 0)
            {
                foreach (PciFunction function in PciBus.ForThisMachine().Enumerate())
                {
                    functions.Add((function, "-"));
                }
            }

            foreach ((PciFunction function, string driver) in functions)
            {
                output.WriteLine($"{function} rev {function.Revision:x2}  driver: {driver}");
                if (!verbose)
                {
                    if (function.Bars.Count > 0)
                    {
                        var bars = new List<string>();
                        foreach (PciBar bar in function.Bars)
                        {
                            bars.Add($"{bar.Index}:{ShortKind(bar)} 0x{bar.Address:x}/0x{bar.Size:x}");
                        }

                        output.WriteLine("    BARs " + string.Join(' ', bars));
                    }

                    continue;
                }

                foreach (PciBar bar in function.Bars)
                {
                    string kind = bar.Kind switch
                    {
                        PciBarKind.Io => "I/O ports",
                        PciBarKind.Memory32 => "memory 32-bit",
                        PciBarKind.Memory64 => "memory 64-bit",
                        _ => "unused",
                    };
                    output.WriteLine($"    BAR{bar.Index}: {kind}{(bar.Prefetchable ? ", prefetchable" : "")} at 0x{bar.Address:x} size 0x{bar.Size:x}");
                }

                if (function.Capabilities.Count > 0)
                {
                    var capabilities = new List<string>();
                    foreach (PciCapability capability in function.Capabilities)
                    {
                        capabilities.Add($"{capability.Id:x2}@{capability.Offset:x2}");
                    }

                    output.WriteLine("    capabilities: " + string.Join(' ', capabilities));
                }

                output.WriteLine($"    interrupts: {function.InterruptMode} ({function.InterruptDescription})");
            }

            return 0;
        }

        private static string ShortKind(PciBar bar) => bar.Kind switch
        {
            PciBarKind.Io => "io",
            PciBarKind.Memory32 => bar.Prefetchable ? "mem32p" : "mem32",
            PciBarKind.Memory64 => bar.Prefetchable ? "mem64p" : "mem64",
            _ => "none",
        };
    }
}
