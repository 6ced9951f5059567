namespace Cosmos.System.Network
{
    /// <summary>Where a DNS lookup stands.</summary>
    public enum DnsLookupStatus
    {
        /// <summary>Waiting for an answer.</summary>
        Pending,

        /// <summary>The name resolved; see <see cref="DnsLookup.Addresses"/>.</summary>
        Succeeded,

        /// <summary>The name does not exist (NXDOMAIN).</summary>
        NameError,

        /// <summary>The name exists but has no A record.</summary>
        NoData,

        /// <summary>Every server failed (SERVFAIL, REFUSED, or a CNAME chain too long).</summary>
        ServerFailure,

        /// <summary>No answer after every retry.</summary>
        TimedOut,

        /// <summary>No DNS server is configured.</summary>
        NoServers,

        /// <summary>The name is not a valid domain name.</summary>
        InvalidName,
    }
}
