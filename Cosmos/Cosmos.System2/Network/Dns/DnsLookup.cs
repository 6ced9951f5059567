using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>One name being resolved; poll <see cref="Status"/> after each <see cref="NetworkStack.Poll"/>.</summary>
    public sealed class DnsLookup
    {
        internal DnsLookup(string name)
        {
            Name = name;
            CanonicalName = DnsName.Normalize(name);
        }

        /// <summary>The name asked for.</summary>
        public string Name { get; }

        /// <summary>The name the addresses belong to after following CNAMEs.</summary>
        public string CanonicalName { get; internal set; }

        /// <summary>Where it stands.</summary>
        public DnsLookupStatus Status { get; internal set; }

        /// <summary>The addresses once <see cref="DnsLookupStatus.Succeeded"/>.</summary>
        public IReadOnlyList<Ipv4Address> Addresses { get; internal set; } = new List<Ipv4Address>();

        /// <summary>True when the answer came from the cache without a query.</summary>
        public bool FromCache { get; internal set; }

        /// <summary>Queries sent for it (retries and CNAME continuations included).</summary>
        public int QueriesSent { get; internal set; }

        /// <summary>True once the status is no longer <see cref="DnsLookupStatus.Pending"/>.</summary>
        public bool IsComplete => Status != DnsLookupStatus.Pending;
    }
}
