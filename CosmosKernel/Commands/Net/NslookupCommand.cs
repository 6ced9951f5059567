using System.Collections.Generic;
using System.IO;
using Cosmos.System.Network;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands.Net
{
    /// <summary><c>nslookup NAME</c>: the A records of a name, from the DNS servers DHCP gave.</summary>
    public sealed class NslookupCommand : IShellCommand
    {
        private readonly NetworkSubsystem _network;

        public NslookupCommand(NetworkSubsystem network) => _network = network;

        public string Name => "nslookup";

        public string Summary => "nslookup NAME        resolve a host name to IPv4 addresses";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count != 1)
            {
                output.WriteLine("nslookup: usage: nslookup NAME");
                return 2;
            }

            if (_network.WaitForAddress(NetTools.ResolveTimeoutMilliseconds) == null)
            {
                output.WriteLine("nslookup: the network has no address yet (DHCP)");
                return 1;
            }

            DnsLookup lookup = _network.Resolve(arguments[0], NetTools.ResolveTimeoutMilliseconds);
            if (lookup.Status != DnsLookupStatus.Succeeded)
            {
                output.WriteLine($"nslookup: {arguments[0]}: {NetTools.Describe(lookup.Status)}");
                return 1;
            }

            output.WriteLine($"Name:    {lookup.CanonicalName}");
            foreach (Ipv4Address address in lookup.Addresses)
            {
                output.WriteLine($"Address: {address}");
            }

            return 0;
        }
    }
}
