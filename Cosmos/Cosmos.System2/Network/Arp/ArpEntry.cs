using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>One neighbour in an interface's ARP cache.</summary>
    public sealed class ArpEntry
    {
        internal ArpEntry(Ipv4Address address)
        {
            Address = address;
        }

        /// <summary>The neighbour's IPv4 address.</summary>
        public Ipv4Address Address { get; }

        /// <summary>Its MAC once resolved.</summary>
        public MacAddress HardwareAddress { get; internal set; }

        /// <summary>False while a request is outstanding.</summary>
        public bool IsResolved { get; internal set; }

        /// <summary>When a resolved entry expires, or when the next request goes out for an unresolved one (clock milliseconds).</summary>
        public long Deadline { get; internal set; }

        /// <summary>Requests sent for an unresolved entry.</summary>
        internal int RequestsSent { get; set; }

        /// <summary>IPv4 packets waiting for the resolution (already complete, not yet fragmented).</summary>
        internal Queue<byte[]> Pending { get; } = new Queue<byte[]>();
    }
}
