using System.Collections.Generic;

namespace Cosmos.HAL.Pci
{
    /// <summary>An address range a bridge forwards to its secondary bus; empty when Base &gt; Limit.</summary>
    public readonly record struct PciWindow(ulong Base, ulong Limit)
    {
        /// <summary>True when the bridge forwards nothing through this window.</summary>
        public bool IsEmpty => Base > Limit;

        /// <inheritdoc />
        public override string ToString() => IsEmpty ? "none" : $"0x{Base:x}-0x{Limit:x}";
    }

    /// <summary>
    /// The three windows of a PCI-to-PCI bridge (PCI-to-PCI Bridge 1.2 §3.2.5.6-10): I/O, memory, prefetchable memory,
    /// as firmware programmed them, and the placing of a hot-added card's BARs inside them. Firmware sized the
    /// windows at boot for what was then behind the bridge (or reserved room for hot-plug); a card that needs more
    /// gets a sentence saying what did not fit, and is left alone.
    /// </summary>
    public sealed class PciBridgeWindows
    {
        // Type 1 header registers.
        private const int IoBase = 0x1C, IoLimit = 0x1D, MemoryBase = 0x20, MemoryLimit = 0x22;
        private const int PrefetchableBase = 0x24, PrefetchableLimit = 0x26, PrefetchableBaseUpper = 0x28, PrefetchableLimitUpper = 0x2C;
        private const int IoBaseUpper = 0x30, IoLimitUpper = 0x32;

        private PciBridgeWindows(PciWindow io, PciWindow memory, PciWindow prefetchable)
        {
            Io = io;
            Memory = memory;
            Prefetchable = prefetchable;
        }

        /// <summary>The I/O window (4 KiB granular).</summary>
        public PciWindow Io { get; }

        /// <summary>The non-prefetchable memory window (1 MiB granular, below 4 GiB).</summary>
        public PciWindow Memory { get; }

        /// <summary>The prefetchable memory window (1 MiB granular, 64-bit when the bridge says so).</summary>
        public PciWindow Prefetchable { get; }

        /// <summary>Reads the windows of <paramref name="bridge"/>.</summary>
        public static PciBridgeWindows Read(IPciConfigSpace bridge)
        {
            byte ioBase = bridge.Read8(IoBase), ioLimit = bridge.Read8(IoLimit);
            ulong ioHighBase = 0, ioHighLimit = 0;
            if ((ioBase & 0xF) == 1)
            {
                ioHighBase = (ulong)bridge.Read16(IoBaseUpper) << 16;
                ioHighLimit = (ulong)bridge.Read16(IoLimitUpper) << 16;
            }

            var io = ioBase == 0 && ioLimit == 0
                ? new PciWindow(1, 0)
                : new PciWindow(ioHighBase | ((ulong)(ioBase & 0xF0) << 8), ioHighLimit | ((ulong)(ioLimit & 0xF0) << 8) | 0xFFF);

            ushort memoryBase = bridge.Read16(MemoryBase), memoryLimit = bridge.Read16(MemoryLimit);
            // Base and limit both 0: a bridge firmware never programmed (it would forward the first megabyte).
            var memory = memoryBase == 0 && memoryLimit == 0 ? new PciWindow(1, 0) : new PciWindow((ulong)(memoryBase & 0xFFF0) << 16, ((ulong)(memoryLimit & 0xFFF0) << 16) | 0xFFFFF);

            ushort prefetchBase = bridge.Read16(PrefetchableBase), prefetchLimit = bridge.Read16(PrefetchableLimit);
            ulong prefetchHighBase = 0, prefetchHighLimit = 0;
            if ((prefetchBase & 0xF) == 1)
            {
                prefetchHighBase = (ulong)bridge.Read32(PrefetchableBaseUpper) << 32;
                prefetchHighLimit = (ulong)bridge.Read32(PrefetchableLimitUpper) << 32;
            }

            var prefetchable = (prefetchBase & 0xFFF0) == 0 && (prefetchLimit & 0xFFF0) == 0 && prefetchHighBase == 0 && prefetchHighLimit == 0 ? new PciWindow(1, 0) : new PciWindow(prefetchHighBase | ((ulong)(prefetchBase & 0xFFF0) << 16),
                prefetchHighLimit | ((ulong)(prefetchLimit & 0xFFF0) << 16) | 0xFFFFF);
            return new PciBridgeWindows(io, memory, prefetchable);
        }

        /// <summary>
        /// Gives every BAR of <paramref name="function"/> that has no address one inside these windows (largest first,
        /// each aligned to its size), writes them and sizes the BARs again. The windows are taken to be the card's
        /// alone: the function sits on a hot-plug slot's bus, where nothing else decodes.
        /// </summary>
        /// <returns>Null when every BAR has an address, else why not (nothing is written then).</returns>
        public string? Assign(PciFunction function)
        {
            var next = new Dictionary<string, ulong>
            {
                ["io"] = Io.Base,
                ["memory"] = Memory.Base,
                ["prefetchable memory"] = Prefetchable.Base,
            };
            var placements = new List<(PciBar Bar, ulong Address)>();
            var bars = new List<PciBar>(function.Bars);
            bars.Sort((a, b) => b.Size.CompareTo(a.Size));
            foreach (PciBar bar in bars)
            {
                if (bar.Address != 0)
                {
                    continue;
                }

                (string name, PciWindow window) = Choose(bar);
                if (window.IsEmpty)
                {
                    return $"BAR{bar.Index} needs 0x{bar.Size:x} bytes of {name} and the bridge forwards none";
                }

                ulong address = (next[name] + bar.Size - 1) & ~(bar.Size - 1);
                if (address < next[name] || address + bar.Size - 1 > window.Limit || (bar.Kind == PciBarKind.Memory32 && address + bar.Size > 1UL << 32))
                {
                    return $"BAR{bar.Index} needs 0x{bar.Size:x} bytes of {name}; the bridge's window {window} has no room left";
                }

                placements.Add((bar, address));
                next[name] = address + bar.Size;
            }

            foreach ((PciBar bar, ulong address) in placements)
            {
                int offset = PciConfigRegisters.Bar0 + (4 * bar.Index);
                function.Config.Write32(offset, (uint)address);
                if (bar.Kind == PciBarKind.Memory64)
                {
                    function.Config.Write32(offset + 4, (uint)(address >> 32));
                }
            }

            function.RescanBars();
            return null;
        }

        // A prefetchable 64-bit BAR goes to the prefetchable window; everything else that is memory to the memory
        // window (below 4 GiB), which any memory BAR may use (PCI-to-PCI Bridge 1.2 §4.3).
        private (string Name, PciWindow Window) Choose(PciBar bar) =>
            bar.Kind == PciBarKind.Io ? ("io", Io)
            : bar.Prefetchable && (bar.Kind == PciBarKind.Memory64 || Prefetchable.Limit < 1UL << 32) && !Prefetchable.IsEmpty ? ("prefetchable memory", Prefetchable)
            : ("memory", Memory);
    }
}
