using System.IO;
using Cosmos.System.Network;

namespace CosmosKernel.Commands.Net
{
    /// <summary>What the network commands share: a host name or dotted quad to an address, with the failure said plainly.</summary>
    internal static class NetTools
    {
        public const long ResolveTimeoutMilliseconds = 10_000;

        public static bool TryResolve(NetworkSubsystem network, string host, TextWriter output, string command, out Ipv4Address address)
        {
            address = default;
            bool noInterface;
            lock (network.SyncRoot)
            {
                noInterface = network.Stack.Interfaces.Count == 0;
            }

            if (noInterface)
            {
                output.WriteLine($"{command}: no network interface");
                return false;
            }

            if (!Ipv4Address.TryParse(host, out address) && network.WaitForAddress(ResolveTimeoutMilliseconds) == null)
            {
                output.WriteLine($"{command}: the network has no address yet (DHCP)");
                return false;
            }

            DnsLookup lookup = network.Resolve(host, ResolveTimeoutMilliseconds);
            if (lookup.Status != DnsLookupStatus.Succeeded || lookup.Addresses.Count == 0)
            {
                output.WriteLine($"{command}: cannot resolve {host}: {Describe(lookup.Status)}");
                return false;
            }

            address = lookup.Addresses[0];
            return true;
        }

        public static string Describe(DnsLookupStatus status) => status switch
        {
            DnsLookupStatus.NameError => "no such name",
            DnsLookupStatus.NoData => "no address for that name",
            DnsLookupStatus.ServerFailure => "the server failed",
            DnsLookupStatus.TimedOut or DnsLookupStatus.Pending => "no answer from the DNS server",
            DnsLookupStatus.NoServers => "no DNS server known",
            DnsLookupStatus.InvalidName => "not a valid host name",
            _ => status.ToString(),
        };

        public static string Describe(NetworkResult result) => result switch
        {
            NetworkResult.WouldBlock => "timed out",
            NetworkResult.NoRoute => "no route to host",
            NetworkResult.NetworkDown => "network is down",
            NetworkResult.NotConnected => "not connected",
            NetworkResult.ConnectionRefused => "connection refused",
            NetworkResult.ConnectionReset => "connection reset by peer",
            NetworkResult.TimedOut => "connection timed out",
            NetworkResult.AddressInUse => "address already in use",
            NetworkResult.Closed => "closed",
            _ => result.ToString(),
        };
    }
}
