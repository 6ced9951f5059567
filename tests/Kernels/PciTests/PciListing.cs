using System.Collections.Generic;
using Cosmos.Core.IO;
using Cosmos.HAL.Pci;

namespace PciTests
{
    /// <summary>An lspci-like listing on COM1 (not protocol lines: for the person reading the log).</summary>
    internal static class PciListing
    {
        public static void Write(PciBus bus, IReadOnlyList<PciFunction> functions)
        {
            Line($"[pci] {functions.Count} functions through {bus.Access.Description}");
            foreach (PciFunction function in functions)
            {
                Line($"[pci] {function}");
                foreach (PciBar bar in function.Bars)
                {
                    Line($"[pci]     BAR{bar.Index} {bar.Kind}{(bar.Prefetchable ? " prefetchable" : "")} at 0x{bar.Address:x} size 0x{bar.Size:x}");
                }

                if (function.Capabilities.Count > 0)
                {
                    var ids = new List<string>();
                    foreach (PciCapability capability in function.Capabilities)
                    {
                        ids.Add($"{capability.Id:x2}@{capability.Offset:x2}");
                    }

                    Line("[pci]     capabilities " + string.Join(" ", ids));
                }

                if (function.InterruptPin != 0)
                {
                    Line($"[pci]     INT{(char)('A' + function.InterruptPin - 1)} irq {function.InterruptLine}");
                }
            }

            foreach (string warning in bus.Warnings)
            {
                Line("[pci] warning: " + warning);
            }
        }

        private static void Line(string text)
        {
            SerialPort.WriteAscii(SerialPort.Com1, text);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
        }
    }
}
