using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Network;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>A network device whose wire is the harness: it injects the frames to receive and reads what the stack sent.</summary>
    internal sealed class FuzzNetworkDevice : INetworkDevice
    {
        private readonly byte[] _mac = new byte[6];

        public FuzzNetworkDevice(MacAddress mac)
        {
            mac.Write(_mac);
        }

        public Queue<byte[]> Received { get; } = new();

        public List<byte[]> Sent { get; } = new();

        public DeviceClass Class => DeviceClass.Network;

        public string NameStem => "eth";

        public string DriverName => "fuzz-net";

        public string Transport => "fuzz";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public ReadOnlySpan<byte> MacAddress => _mac;

        public bool IsLinkUp => true;

        public int Mtu => 1500;

        public int MaxFrameLength => Mtu + 18;

        public bool HasFrameWaiting => Received.Count > 0;

        public Action? FramesArrived { get; set; }

        public bool OffloadsTransmitChecksum => false;

        public NetworkStatistics Statistics => default;

        public bool TrySend(ReadOnlySpan<byte> frame)
        {
            // Keep the last few: the harnesses read the latest DHCP, DNS and TCP frames to learn ids and sequence numbers.
            if (Sent.Count >= 64)
            {
                Sent.RemoveAt(0);
            }

            Sent.Add(frame.ToArray());
            return true;
        }

        public bool TrySend(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset) => TrySend(frame);

        public int TryReceive(Span<byte> buffer, out bool checksumValid)
        {
            checksumValid = false;
            return TryReceive(buffer);
        }

        public int TryReceive(Span<byte> buffer)
        {
            if (Received.Count == 0)
            {
                return 0;
            }

            byte[] frame = Received.Dequeue();
            int length = Math.Min(frame.Length, buffer.Length);
            frame.AsSpan(0, length).CopyTo(buffer);
            return length;
        }
    }
}
