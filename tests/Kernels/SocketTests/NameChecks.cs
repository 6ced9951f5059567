using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Cosmos.TestKit;

namespace SocketTests
{
    /// <summary>System.Net.Dns: literals resolve without a server; a name on the restricted network (no DNS server) fails clearly.</summary>
    internal static class NameChecks
    {
        public static void Add(TestRunner tests)
        {
            tests.Add("dns.ip-literal-resolves-to-itself", () =>
            {
                IPAddress[] addresses = Dns.GetHostAddresses(Peer.HostAddress);
                Assert.Equal(1, addresses.Length, "addresses for 10.0.2.2");
                Assert.Equal(IPAddress.Parse(Peer.HostAddress), addresses[0]);
            });

            tests.Add("dns.host-entry-of-a-literal", () =>
            {
                IPHostEntry entry = Dns.GetHostEntry(IPAddress.Loopback);
                Assert.True(entry.AddressList.Length >= 1, "GetHostEntry(127.0.0.1) gave no address");
                Assert.Equal(IPAddress.Loopback, entry.AddressList[0]);
                Assert.True(!string.IsNullOrEmpty(entry.HostName), "GetHostEntry(127.0.0.1) gave no host name");
            });

            tests.Add("dns.unresolvable-name-is-host-not-found", () =>
            {
                SocketException error = Assert.Throws<SocketException>(() => Dns.GetHostAddresses("no-such-host.cosmos.invalid"));
                Assert.Equal(SocketError.HostNotFound, error.SocketErrorCode, "SocketErrorCode");
                Assert.True(error.Message.Length > 0, "the exception has no message");
            });

            tests.Add("dns.async-lookup", () =>
            {
                Task<IPAddress[]> lookup = Dns.GetHostAddressesAsync("10.0.2.15");
                Assert.True(lookup.Wait(TimeSpan.FromSeconds(10)), "GetHostAddressesAsync did not finish in 10 s");
                Assert.Equal(IPAddress.Parse("10.0.2.15"), lookup.Result[0]);
                Task<IPAddress[]> missing = Dns.GetHostAddressesAsync("missing.cosmos.invalid");
                AggregateException failure = Assert.Throws<AggregateException>(() => missing.Wait(TimeSpan.FromSeconds(10)));
                SocketException inner = Assert.IsType<SocketException>(failure.InnerException, "the async lookup's exception");
                Assert.Equal(SocketError.HostNotFound, inner.SocketErrorCode, "SocketErrorCode");
            });

            tests.Add("dns.host-name", () =>
            {
                string name = Dns.GetHostName();
                Assert.True(!string.IsNullOrEmpty(name), "Dns.GetHostName() is empty");
            });
        }
    }
}
