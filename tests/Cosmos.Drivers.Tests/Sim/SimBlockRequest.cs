using System.Collections.Generic;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>A virtio-blk request as the simulated disk saw it.</summary>
    internal sealed class SimBlockRequest
    {
        public SimBlockRequest(SimRequest chain)
        {
            Chain = chain;
        }

        public SimRequest Chain { get; }

        public uint Type { get; set; }

        public ulong Sector { get; set; }

        public int DataSegments { get; set; }

        public uint DataBytes { get; set; }

        public byte Status { get; set; }

        public bool Flushed { get; set; }

        /// <summary>DISCARD / WRITE_ZEROES segments: sector, count, flags.</summary>
        public List<(ulong Sector, uint Count, uint Flags)> Ranges { get; } = new();
    }
}
