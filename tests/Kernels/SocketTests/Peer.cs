namespace SocketTests
{
    /// <summary>
    /// What the host side (tests/Cosmos.Kernel.Tests/SocketChecks.cs and socket_peer.py) and this kernel agree on:
    /// ports, addresses and the messages they exchange.
    /// </summary>
    internal static class Peer
    {
        /// <summary>QEMU's host as the guest sees it.</summary>
        public const string HostAddress = "10.0.2.2";

        /// <summary>The guestfwd address whose port <see cref="EchoPort"/> leads to the host's echo server.</summary>
        public const string ForwardAddress = "10.0.2.100";

        /// <summary>Host echo server (guestfwd): sends back every byte it receives until the client shuts down.</summary>
        public const int EchoPort = 8000;

        /// <summary>Guest TCP listener served synchronously (hostfwd from the host).</summary>
        public const int SyncListenPort = 7000;

        /// <summary>Guest TCP listener served with async accept and reads (hostfwd from the host).</summary>
        public const int AsyncListenPort = 7002;

        /// <summary>Guest UDP port the host sends datagrams to (hostfwd=udp).</summary>
        public const int DatagramPort = 7001;

        /// <summary>A host port nothing listens on or forwards to.</summary>
        public const int ClosedPort = 9;

        /// <summary>Byte <paramref name="index"/> of the pattern both sides generate: cheap to check, not periodic in 256.</summary>
        public static byte PatternByte(long index, int seed) => unchecked((byte)((index * 131 + (index >> 8) + seed) & 0xFF));
    }
}
