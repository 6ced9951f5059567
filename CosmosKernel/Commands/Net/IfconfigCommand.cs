using System.Collections.Generic;
using System.IO;
using Cosmos.HAL.Devices;
using Cosmos.System.Network;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands.Net
{
    /// <summary><c>ifconfig</c> (and its alias <c>ip</c>): each interface's addresses, MAC, MTU, link, counters and drops.</summary>
    public sealed class IfconfigCommand : IShellCommand
    {
        private readonly NetworkSubsystem _network;

        public IfconfigCommand(NetworkSubsystem network, string name = "ifconfig")
        {
            _network = network;
            Name = name;
        }

        public string Name { get; }

        public string Summary => $"{Name,-21}show network interfaces, addresses and counters";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count > 0)
            {
                output.WriteLine($"{Name}: usage: {Name}");
                return 2;
            }

            lock (_network.SyncRoot)
            {
                if (_network.Stack.Interfaces.Count == 0)
                {
                    output.WriteLine("no network interfaces");
                    return 0;
                }

                foreach (NetworkInterface nic in _network.Stack.Interfaces)
                {
                    Print(nic, output);
                }

                string stackDrops = "";
                foreach (ProtocolCounters protocol in _network.Stack.Counters.All)
                {
                    if (protocol.TotalDrops > 0)
                    {
                        stackDrops += $"  {protocol.Name}: {protocol.TotalDrops} dropped\n{Indent(protocol.DescribeDrops())}";
                    }
                }

                if (stackDrops.Length > 0)
                {
                    output.Write("protocol drops:\n" + stackDrops);
                }
            }

            return 0;
        }

        private static void Print(NetworkInterface nic, TextWriter output)
        {
            INetworkDevice device = nic.Device;
            NetworkStatistics statistics = device.Statistics;
            output.WriteLine($"{nic.Name}: link {(device.IsLinkUp ? "up" : "down")}  mtu {nic.Mtu}  ether {nic.MacAddress}");
            if (nic.IsConfigured)
            {
                output.WriteLine($"    inet {nic.Address}  netmask {nic.SubnetMask}  broadcast {nic.BroadcastAddress}  gateway {(nic.Gateway.IsAny ? "none" : nic.Gateway.ToString())}");
            }
            else
            {
                output.WriteLine("    inet (none)");
            }

            string dns = nic.DnsServers.Count == 0 ? "none" : string.Join(" ", nic.DnsServers);
            string dhcp = nic.Dhcp == null ? "off" : nic.Dhcp.State.ToString().ToLowerInvariant();
            output.WriteLine($"    dns {dns}  dhcp {dhcp}");
            output.WriteLine($"    RX packets {nic.Counters.PacketsIn}  bytes {nic.Counters.BytesIn}");
            output.WriteLine($"    TX packets {nic.Counters.PacketsOut}  bytes {nic.Counters.BytesOut}");
            output.WriteLine($"    drops {nic.Counters.TotalDrops}  device drops {statistics.Dropped}  tx queue full {statistics.TransmitQueueFull}");
            output.Write(Indent(nic.Counters.DescribeDrops()));
        }

        // DescribeDrops gives "  reason N" lines; nest them under the line they explain.
        private static string Indent(string lines) => lines.Replace("  ", "      ", System.StringComparison.Ordinal);
    }
}
