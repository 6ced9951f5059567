using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Cosmos.System.Network;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands.Net
{
    /// <summary><c>ping HOST [-c N]</c>: ICMP echo requests, one a second, with round-trip times and a summary.</summary>
    public sealed class PingCommand : IShellCommand
    {
        private const long TimeoutMilliseconds = 2_000;
        private readonly NetworkSubsystem _network;

        public PingCommand(NetworkSubsystem network) => _network = network;

        public string Name => "ping";

        public string Summary => "ping HOST [-c N]     send ICMP echo requests (4 by default)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            string? host = null;
            int count = 4;
            for (int i = 0; i < arguments.Count; i++)
            {
                if (arguments[i] == "-c" && i + 1 < arguments.Count)
                {
                    if (!int.TryParse(arguments[++i], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > 1000)
                    {
                        output.WriteLine($"ping: bad count '{arguments[i]}' (1 to 1000)");
                        return 2;
                    }
                }
                else if (host == null && !arguments[i].StartsWith('-'))
                {
                    host = arguments[i];
                }
                else
                {
                    return Usage(output);
                }
            }

            if (host == null)
            {
                return Usage(output);
            }

            if (!NetTools.TryResolve(_network, host, output, "ping", out Ipv4Address address))
            {
                return 1;
            }

            output.WriteLine($"PING {host} ({address}): 56 data bytes");
            int received = 0;
            long minimum = long.MaxValue, maximum = 0, total = 0;
            for (int i = 0; i < count; i++)
            {
                long started = System.Environment.TickCount64;
                PingRequest request = _network.Ping(address, TimeoutMilliseconds);
                if (request.Status == PingStatus.Replied)
                {
                    received++;
                    long rtt = request.RoundTripMilliseconds;
                    minimum = System.Math.Min(minimum, rtt);
                    maximum = System.Math.Max(maximum, rtt);
                    total += rtt;
                    output.WriteLine($"64 bytes from {request.Responder}: icmp_seq={request.Sequence} ttl={request.ReplyTimeToLive} time={rtt} ms");
                }
                else
                {
                    output.WriteLine($"from {address}: icmp_seq={request.Sequence} {Describe(request.Status)}");
                }

                long rest = 1_000 - (System.Environment.TickCount64 - started);
                if (i + 1 < count && rest > 0)
                {
                    System.Threading.Thread.Sleep((int)rest);
                }
            }

            int loss = (count - received) * 100 / count;
            output.WriteLine($"--- {host} ping statistics ---");
            output.WriteLine($"{count} packets transmitted, {received} received, {loss}% packet loss");
            if (received > 0)
            {
                output.WriteLine($"rtt min/avg/max = {minimum}/{total / received}/{maximum} ms");
            }

            return received > 0 ? 0 : 1;
        }

        private static string Describe(PingStatus status) => status switch
        {
            PingStatus.TimedOut => "timed out",
            PingStatus.Unreachable => "destination unreachable",
            PingStatus.TimeExceeded => "time to live exceeded",
            PingStatus.SendFailed => "could not send (no route or no link)",
            _ => "no answer",
        };

        private int Usage(TextWriter output)
        {
            output.WriteLine("ping: usage: ping HOST [-c N]");
            return 2;
        }
    }
}
