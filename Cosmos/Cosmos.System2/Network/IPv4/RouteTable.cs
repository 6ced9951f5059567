using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>The routes, searched by longest prefix then lowest metric.</summary>
    public sealed class RouteTable
    {
        private readonly List<Route> _routes = new List<Route>();

        /// <summary>The routes in the order they were added.</summary>
        public IReadOnlyList<Route> Routes => _routes;

        /// <summary>Adds a route.</summary>
        public void Add(Route route) => _routes.Add(route);

        /// <summary>Removes a route; false when it was not there.</summary>
        public bool Remove(Route route) => _routes.Remove(route);

        /// <summary>
        /// Picks the route for <paramref name="destination"/>; <paramref name="nextHop"/> is the gateway or, on a
        /// connected network, the destination itself. False when no route matches or its interface is down or unaddressed.
        /// </summary>
        public bool TryLookup(Ipv4Address destination, out Route? route, out Ipv4Address nextHop)
        {
            route = null;
            int bestPrefix = -1;
            foreach (Route candidate in _routes)
            {
                if (!destination.IsInSameSubnet(candidate.Destination, candidate.Mask) || !candidate.Interface.IsConfigured)
                {
                    continue;
                }

                int prefix = candidate.Mask.PrefixLength;
                if (prefix > bestPrefix || (prefix == bestPrefix && candidate.Metric < route!.Metric))
                {
                    route = candidate;
                    bestPrefix = prefix;
                }
            }

            nextHop = route == null ? default : route.Gateway.IsAny ? destination : route.Gateway;
            return route != null;
        }

        internal void RemoveAutomatic(NetworkInterface networkInterface) =>
            _routes.RemoveAll(r => r.IsAutomatic && r.Interface == networkInterface);
    }
}
