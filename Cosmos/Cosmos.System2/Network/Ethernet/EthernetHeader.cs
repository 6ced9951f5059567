using System;
using System.Buffers.Binary;

namespace Cosmos.System.Network
{
    /// <summary>An Ethernet II header: destination, source, EtherType (no 802.1Q tag, no FCS: devices strip it).</summary>
    public readonly struct EthernetHeader
    {
        /// <summary>Header bytes.</summary>
        public const int Length = 14;

        /// <summary>Smallest frame without FCS; shorter frames are padded with zeros on the way out.</summary>
        public const int MinimumFrameLength = 60;

        /// <summary>Creates a header.</summary>
        public EthernetHeader(MacAddress destination, MacAddress source, ushort etherType)
        {
            Destination = destination;
            Source = source;
            EtherType = etherType;
        }

        /// <summary>Where the frame goes.</summary>
        public MacAddress Destination { get; }

        /// <summary>Who sent it.</summary>
        public MacAddress Source { get; }

        /// <summary>What the payload is (<see cref="Network.EtherType"/>).</summary>
        public ushort EtherType { get; }

        /// <summary>Reads the header; false when <paramref name="frame"/> is shorter than 14 bytes.</summary>
        public static bool TryRead(ReadOnlySpan<byte> frame, out EthernetHeader header)
        {
            if (frame.Length < Length)
            {
                header = default;
                return false;
            }

            header = new EthernetHeader(
                MacAddress.Read(frame), MacAddress.Read(frame.Slice(6)), BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)));
            return true;
        }

        /// <summary>Writes the 14 header bytes.</summary>
        public void Write(Span<byte> frame)
        {
            Destination.Write(frame);
            Source.Write(frame.Slice(6));
            BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(12), EtherType);
        }
    }
}
