using System;
using System.Buffers.Binary;

namespace Cosmos.Drivers.Tests.Net
{
    /// <summary>Ethernet frames for the virtio-net tests: a header and a payload pattern that differs per seed.</summary>
    internal static class NetFrames
    {
        public static readonly byte[] Broadcast = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

        /// <summary>A frame of <paramref name="length"/> bytes (at least 14): broadcast, from 02:00:00:00:00:01, type 0x88B5, then a pattern.</summary>
        public static byte[] Make(int length, int seed)
        {
            var frame = new byte[length];
            Broadcast.CopyTo(frame, 0);
            new byte[] { 0x02, 0, 0, 0, 0, 1 }.CopyTo(frame, 6);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88B5);
            for (int i = 14; i < length; i++)
            {
                frame[i] = (byte)((i * 7) + (seed * 13) + (seed >> 8));
            }

            return frame;
        }

        /// <summary>
        /// An IPv4/UDP frame whose UDP checksum field holds only the pseudo-header sum (a partial checksum,
        /// as a stack asking for offload leaves it). Checksum start 34, offset 6.
        /// </summary>
        public static byte[] PartialUdp(int payloadLength, int seed)
        {
            int udpLength = 8 + payloadLength;
            byte[] frame = Make(14 + 20 + udpLength, seed);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
            Span<byte> ip = frame.AsSpan(14, 20);
            ip.Clear();
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + udpLength));
            ip[8] = 64;
            ip[9] = 17;
            new byte[] { 10, 0, 2, 15 }.CopyTo(ip[12..]);
            new byte[] { 10, 0, 2, 2 }.CopyTo(ip[16..]);
            Span<byte> udp = frame.AsSpan(34);
            BinaryPrimitives.WriteUInt16BigEndian(udp, 4000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 53);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);

            // Pseudo header: source, destination, zero + protocol, UDP length; stored un-complemented.
            uint sum = 0x0A00 + 0x020F + 0x0A00 + 0x0202 + 17 + (uint)udpLength;
            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }

            BinaryPrimitives.WriteUInt16BigEndian(udp[6..], (ushort)sum);
            return frame;
        }

        /// <summary>True when the UDP checksum of a frame from <see cref="PartialUdp"/> verifies (pseudo header included).</summary>
        public static bool UdpChecksumVerifies(ReadOnlySpan<byte> frame)
        {
            ReadOnlySpan<byte> udp = frame[34..];
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
            ulong sum = 0x0A00 + 0x020F + 0x0A00 + 0x0202 + 17 + (uint)udpLength;
            for (int i = 0; i < udpLength; i += 2)
            {
                sum += i + 1 < udpLength ? (uint)((udp[i] << 8) | udp[i + 1]) : (uint)(udp[i] << 8);
            }

            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }

            return sum == 0xFFFF;
        }
    }
}
