using System.Collections.Generic;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>A descriptor chain as the simulated device parsed it from the rings.</summary>
    internal sealed class SimRequest
    {
        public SimRequest(ushort head)
        {
            Head = head;
        }

        public ushort Head { get; }

        /// <summary>True when the head descriptor pointed to an indirect table.</summary>
        public bool Indirect { get; set; }

        public List<SimSegment> Segments { get; } = new();

        public int DescriptorCount => Segments.Count;

        public uint WritableCapacity
        {
            get
            {
                uint total = 0;
                foreach (SimSegment segment in Segments)
                {
                    total += segment.Writable ? segment.Length : 0;
                }

                return total;
            }
        }
    }
}
