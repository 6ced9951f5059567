using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.Core.Boot;
using Cosmos.Core.Memory;

namespace CosmosKernel.Commands
{
    /// <summary><c>mem [-c]</c>: physical memory and the managed heap; <c>-c</c> collects garbage first, so that the figures are what is live.</summary>
    public sealed class MemCommand : Cosmos.System.Shell.IShellCommand
    {
        public string Name => "mem";

        public string Summary => "mem [-c]             show physical memory and heap use (-c: after a collection and the finalizers)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count > 1 || (arguments.Count == 1 && arguments[0] != "-c"))
            {
                output.WriteLine("mem: usage: mem [-c]");
                return 2;
            }

            if (arguments.Count == 1)
            {
                // Finalizers free native resources (the wait handles of exited threads are GC handles): let them run,
                // then collect what they released, so the figure is what is really still in use.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }

            BootInfo boot = BootInfo.Current;
            output.WriteLine($"physical: {Mib(boot.UsableMemoryBytes)} usable in {boot.MemoryMap.Length} map entries");
            foreach (MemoryRange range in boot.MemoryMap)
            {
                output.WriteLine($"  {range.Start:x12}-{range.End - 1:x12} {range.Type,-16} {Mib(range.Length)}");
            }

            output.WriteLine($"kernel:   {PhysicalMemory.KernelStart:x}-{PhysicalMemory.KernelEnd - 1:x} ({Mib(PhysicalMemory.KernelEnd - PhysicalMemory.KernelStart)})");
            output.WriteLine($"heap:     {Mib(GcHeap.ManagedBytes)} in objects, {Mib(GcHeap.NativeBytes)} native, {Mib(GcHeap.FreeBytes)} free of {Mib(GcHeap.TotalBytes)}; GC.GetTotalMemory = {GC.GetTotalMemory(false)} bytes");
            // Exact figures for scripts (./cosmos soak compares the heap in use before and after its workload).
            output.WriteLine($"in use:   {GcHeap.TotalBytes - GcHeap.FreeBytes} bytes ({GcHeap.ManagedBytes} managed, {GcHeap.NativeBytes} native)");
            output.WriteLine($"native:   {Cosmos.Core.Runtime.FrozenObjectHeapPlug.ChunkBytesAllocated} bytes of frozen-object chunks, {Cosmos.Core.Runtime.Handles.LiveCount} GC handles ({Cosmos.Core.Runtime.Handles.CountWithoutTarget()} without a target), {Cosmos.Core.Threading.Scheduler.ThreadCount} threads");
            output.WriteLine($"gc:       {GC.CollectionCount(0)} collections, last freed {Mib(Cosmos.Core.Runtime.Gc.Collector.LastFreedBytes)} in {Cosmos.Core.Runtime.Gc.Collector.LastPauseNanoseconds / 1000} us");
            return 0;
        }

        private static string Mib(ulong bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
    }
}
