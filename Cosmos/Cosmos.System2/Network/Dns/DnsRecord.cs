namespace Cosmos.System.Network
{
    /// <summary>One resource record of an answer section: the A and CNAME data are decoded, others are kept by type only.</summary>
    public readonly struct DnsRecord
    {
        /// <summary>Type A (RFC 1035 §3.2.2).</summary>
        public const ushort TypeA = 1;

        /// <summary>Type CNAME.</summary>
        public const ushort TypeCname = 5;

        /// <summary>Class IN.</summary>
        public const ushort ClassInternet = 1;

        /// <summary>Creates a record.</summary>
        public DnsRecord(string name, ushort type, ushort recordClass, uint timeToLive, Ipv4Address address, string? target)
        {
            Name = name;
            Type = type;
            Class = recordClass;
            TimeToLive = timeToLive;
            Address = address;
            Target = target;
        }

        /// <summary>The owner name (lower case, no trailing dot).</summary>
        public string Name { get; }

        /// <summary>The record type.</summary>
        public ushort Type { get; }

        /// <summary>The class.</summary>
        public ushort Class { get; }

        /// <summary>Seconds it may be cached.</summary>
        public uint TimeToLive { get; }

        /// <summary>The address of an A record.</summary>
        public Ipv4Address Address { get; }

        /// <summary>The canonical name a CNAME record points to.</summary>
        public string? Target { get; }
    }
}
