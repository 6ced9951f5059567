using Cosmos.System.Network;

namespace Cosmos.System.Tests.Network
{
    /// <summary>One stack (10.0.0.2/24 by default) on a fake device whose frames the test reads and writes itself.</summary>
    internal sealed class SingleHost
    {
        public static readonly MacAddress PeerMac = new MacAddress(0x020000000001);
        public static readonly Ipv4Address PeerAddress = new Ipv4Address(10, 0, 0, 1);
        public static readonly Ipv4Address Address = new Ipv4Address(10, 0, 0, 2);

        public SingleHost(bool configure = true, int mtu = 1500)
        {
            Device = new FakeNetworkDevice(new MacAddress(0x020000000002), mtu);
            Stack = new NetworkStack(Clock, 7);
            Interface = Stack.AddInterface(Device, "eth0");
            if (configure)
            {
                Interface.Configure(Address, Ipv4Address.MaskFromPrefixLength(24));
                Device.Sent.Clear();
            }
        }

        public SimulatedClock Clock { get; } = new SimulatedClock();

        public FakeNetworkDevice Device { get; }

        public NetworkStack Stack { get; }

        public NetworkInterface Interface { get; }

        public void Advance(long milliseconds)
        {
            Clock.Advance(milliseconds);
            Stack.Poll();
        }

        public void Receive(byte[] frame)
        {
            Device.Inject(frame);
            Stack.Poll();
        }
    }
}
