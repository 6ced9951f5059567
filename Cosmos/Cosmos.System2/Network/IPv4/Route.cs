namespace Cosmos.System.Network
{
    /// <summary>One routing table entry: packets for <see cref="Destination"/>/<see cref="Mask"/> leave through <see cref="Interface"/>.</summary>
    public sealed class Route
    {
        /// <summary>Creates a route; a gateway of 0.0.0.0 means the destination is on the link.</summary>
        public Route(Ipv4Address destination, Ipv4Address mask, Ipv4Address gateway, NetworkInterface networkInterface, int metric = 0)
        {
            Destination = new Ipv4Address(destination.Value & mask.Value);
            Mask = mask;
            Gateway = gateway;
            Interface = networkInterface;
            Metric = metric;
        }

        /// <summary>The network.</summary>
        public Ipv4Address Destination { get; }

        /// <summary>Its mask (0.0.0.0 for the default route).</summary>
        public Ipv4Address Mask { get; }

        /// <summary>The router to send through, or 0.0.0.0 for a connected network.</summary>
        public Ipv4Address Gateway { get; }

        /// <summary>The interface.</summary>
        public NetworkInterface Interface { get; }

        /// <summary>Lower wins between routes of equal prefix length.</summary>
        public int Metric { get; }

        /// <summary>True when the route was installed by interface configuration (DHCP or static), not by hand.</summary>
        internal bool IsAutomatic { get; init; }

        /// <summary>"10.0.2.0/24 dev eth0" or "0.0.0.0/0 via 10.0.2.2 dev eth0".</summary>
        public override string ToString() =>
            Gateway.IsAny
                ? $"{Destination}/{Mask.PrefixLength} dev {Interface.Name}"
                : $"{Destination}/{Mask.PrefixLength} via {Gateway} dev {Interface.Name}";
    }
}
