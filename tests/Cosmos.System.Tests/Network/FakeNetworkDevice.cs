using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.System.Network;

namespace Cosmos.System.Tests.Network
{
    /// <summary>A network device whose wire is the test: frames sent go to <see cref="OnTransmit"/> (or <see cref="Sent"/>), frames injected are received.</summary>
    internal sealed class FakeNetworkDevice : INetworkDevice
    {
        private readonly byte[] _mac = new byte[6];

        public FakeNetworkDevice(MacAddress mac, int mtu = 1500)
        {
            mac.Write(_mac);
            Mac = mac;
            Mtu = mtu;
        }

        public MacAddress Mac { get; }

        public Queue<byte[]> Received { get; } = new Queue<byte[]>();

        public Queue<byte[]> Sent { get; } = new Queue<byte[]>();

        public Action<byte[]>? OnTransmit { get; set; }

        public bool TransmitQueueFull { get; set; }

        public DeviceClass Class => DeviceClass.Network;

        public string NameStem => "eth";

        public string DriverName => "fake-net";

        public string Transport => "test";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public ReadOnlySpan<byte> MacAddress => _mac;

        public bool IsLinkUp { get; set; } = true;

        public int Mtu { get; }

        public void Inject(byte[] frame) => Received.Enqueue(frame);

        public bool TrySend(ReadOnlySpan<byte> frame)
        {
            if (TransmitQueueFull)
            {
                return false;
            }

            byte[] copy = frame.ToArray();
            if (OnTransmit != null)
            {
                OnTransmit(copy);
            }
            else
            {
                Sent.Enqueue(copy);
            }

            return true;
        }

        public bool TrySend(ReadOnlySpan<byte> frame, int checksumStart, int checksumOffset)
        {
            // No offload: fill the field in as a driver without it would.
            byte[] copy = frame.ToArray();
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(0, copy.AsSpan(checksumStart)));
            copy[checksumStart + checksumOffset] = (byte)(checksum >> 8);
            copy[checksumStart + checksumOffset + 1] = (byte)checksum;
            return TrySend(copy);
        }

        public int TryReceive(Span<byte> buffer, out bool checksumValid)
        {
            checksumValid = false;
            return TryReceive(buffer);
        }

        public bool HasFrameWaiting => Received.Count > 0;

        public Action? FramesArrived { get; set; }

        public bool OffloadsTransmitChecksum => false;

        public int MaxFrameLength => Mtu + 18;

        public NetworkStatistics Statistics => default;

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
