namespace Cosmos.System.Network
{
    /// <summary>The client states of RFC 2131 §4.4 (Figure 5).</summary>
    public enum DhcpState
    {
        /// <summary>Not running.</summary>
        Stopped,

        /// <summary>DHCPDISCOVER sent, waiting for offers.</summary>
        Selecting,

        /// <summary>DHCPREQUEST for an offer sent, waiting for the ACK.</summary>
        Requesting,

        /// <summary>The lease is in force.</summary>
        Bound,

        /// <summary>Past T1: asking the leasing server, by unicast, to extend.</summary>
        Renewing,

        /// <summary>Past T2: asking any server, by broadcast, to extend.</summary>
        Rebinding,
    }
}
