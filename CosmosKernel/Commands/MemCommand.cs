using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.Core.Boot;
using Cosmos.Core.Memory;

namespace CosmosKernel.Commands
{
    /// <summary><c>mem</c>: physical memory and the managed heap.</summary>
    public sealed class MemCommand : Cosmos.System.Shell.IShellCommand
    {
        public string Name => "mem";

        public string Summary => "mem                  show physical memory and heap use";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            BootInfo boot = BootInfo.Current;
            output.WriteLine($"physical: {Mib(boot.UsableMemoryBytes)} usable in {boot.MemoryMap.Length} map entries");
            foreach (MemoryRange range in boot.MemoryMap)
            {
                output.WriteLine($"  {range.Start:x12}-{range.End - 1:x12} {range.Type,-16} {Mib(range.Length)}");
            }

            output.WriteLine($"kernel:   {PhysicalMemory.KernelStart:x}-{PhysicalMemory.KernelEnd - 1:x} ({Mib(PhysicalMemory.KernelEnd - PhysicalMemory.KernelStart)})");
            output.WriteLine($"heap:     {Mib(EarlyHeap.AllocatedBytes)} allocated of {Mib(EarlyHeap.TotalBytes)}; GC.GetTotalMemory = {GC.GetTotalMemory(false)} bytes");
            return 0;
        }

        private static string Mib(ulong bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
    }
}
