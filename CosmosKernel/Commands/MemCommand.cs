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
            output.WriteLine($"heap:     {Mib(GcHeap.ManagedBytes)} in objects, {Mib(GcHeap.NativeBytes)} native, {Mib(GcHeap.FreeBytes)} free of {Mib(GcHeap.TotalBytes)}; GC.GetTotalMemory = {GC.GetTotalMemory(false)} bytes");
            output.WriteLine($"gc:       {GC.CollectionCount(0)} collections, last freed {Mib(Cosmos.Core.Runtime.Gc.Collector.LastFreedBytes)} in {Cosmos.Core.Runtime.Gc.Collector.LastPauseNanoseconds / 1000} us");
            return 0;
        }

        private static string Mib(ulong bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
    }
}
