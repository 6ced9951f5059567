using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>What the cache knows about one name: its addresses, the name it is an alias of, or that it does not exist.</summary>
    public sealed class DnsCacheEntry
    {
        internal DnsCacheEntry(string name, long expiresAt)
        {
            Name = name;
            ExpiresAt = expiresAt;
        }

        /// <summary>The name (lower case).</summary>
        public string Name { get; }

        /// <summary>When the entry stops being used (clock milliseconds).</summary>
        public long ExpiresAt { get; internal set; }

        /// <summary>Its A records, when it has some.</summary>
        public List<Ipv4Address> Addresses { get; } = new List<Ipv4Address>();

        /// <summary>The CNAME target, when it is an alias.</summary>
        public string? CanonicalName { get; internal set; }

        /// <summary>True when the server said the name does not exist (RFC 2308 negative caching).</summary>
        public bool IsNameError { get; internal set; }
    }
}
