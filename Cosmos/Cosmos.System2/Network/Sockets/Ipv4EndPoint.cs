namespace Cosmos.System.Network
{
    /// <summary>An IPv4 address and port, as a socket is bound or connected to.</summary>
    /// <param name="Address">The address (0.0.0.0 for any).</param>
    /// <param name="Port">The port (0 for "pick one").</param>
    public readonly record struct Ipv4EndPoint(Ipv4Address Address, ushort Port)
    {
        /// <summary>"10.0.2.15:80".</summary>
        public override string ToString() => $"{Address}:{Port}";
    }
}
