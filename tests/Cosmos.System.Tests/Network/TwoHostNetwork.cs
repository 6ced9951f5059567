using System;
using Cosmos.System.Network;

namespace Cosmos.System.Tests.Network
{
    /// <summary>Two stacks, 10.0.0.1 and 10.0.0.2 on 10.0.0.0/24, joined by a <see cref="SimulatedLink"/>, advanced in simulated time.</summary>
    internal sealed class TwoHostNetwork
    {
        public static readonly Ipv4Address AddressA = new Ipv4Address(10, 0, 0, 1);
        public static readonly Ipv4Address AddressB = new Ipv4Address(10, 0, 0, 2);
        public static readonly Ipv4Address Mask = new Ipv4Address(255, 255, 255, 0);

        public TwoHostNetwork(int seed = 1, int mtu = 1500)
        {
            Link = new SimulatedLink(Clock, seed);
            DeviceA = new FakeNetworkDevice(new MacAddress(0x020000000001), mtu);
            DeviceB = new FakeNetworkDevice(new MacAddress(0x020000000002), mtu);
            Link.Connect(DeviceA, DeviceB);
            A = new NetworkStack(Clock, seed * 2 + 1);
            B = new NetworkStack(Clock, seed * 2 + 2);
            InterfaceA = A.AddInterface(DeviceA, "eth0");
            InterfaceB = B.AddInterface(DeviceB, "eth0");
            InterfaceA.Configure(AddressA, Mask);
            InterfaceB.Configure(AddressB, Mask);
        }

        public SimulatedClock Clock { get; } = new SimulatedClock();

        public SimulatedLink Link { get; }

        public FakeNetworkDevice DeviceA { get; }

        public FakeNetworkDevice DeviceB { get; }

        public NetworkStack A { get; }

        public NetworkStack B { get; }

        public NetworkInterface InterfaceA { get; }

        public NetworkInterface InterfaceB { get; }

        /// <summary>Moves time to the next event (a delivery or a timer), delivers what is due, then polls both stacks.</summary>
        public void Step(long maxAdvance = 10_000)
        {
            long now = Clock.Milliseconds;
            if (DeviceA.Received.Count == 0 && DeviceB.Received.Count == 0)
            {
                long next = Math.Min(Math.Min(A.NextDeadline, B.NextDeadline), Link.NextDelivery);
                if (next > now)
                {
                    Clock.Milliseconds = Math.Min(next, now + Math.Max(1, maxAdvance));
                }
            }

            Link.DeliverDue();
            A.Poll();
            B.Poll();
        }

        /// <summary>Steps until <paramref name="condition"/> holds (true) or <paramref name="maxMilliseconds"/> of simulated time pass (false).</summary>
        public bool RunUntil(Func<bool> condition, long maxMilliseconds = 600_000)
        {
            long end = Clock.Milliseconds + maxMilliseconds;
            while (!condition())
            {
                if (Clock.Milliseconds >= end)
                {
                    return false;
                }

                Step(end - Clock.Milliseconds);
            }

            return true;
        }

        /// <summary>Steps for <paramref name="milliseconds"/> of simulated time.</summary>
        public void RunFor(long milliseconds)
        {
            long end = Clock.Milliseconds + milliseconds;
            while (Clock.Milliseconds < end)
            {
                Step(end - Clock.Milliseconds);
            }
        }
    }
}
