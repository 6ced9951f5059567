using System;
using System.Buffers.Binary;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>An IPv4 header (RFC 791 §3.1). Options are skipped on the way in and never sent.</summary>
    public readonly struct Ipv4Header
    {
        /// <summary>Bytes of a header without options.</summary>
        public const int MinimumLength = 20;

        /// <summary>The Don't Fragment flag as it sits in the flags/offset word.</summary>
        public const ushort DontFragmentFlag = 0x4000;

        /// <summary>The More Fragments flag as it sits in the flags/offset word.</summary>
        public const ushort MoreFragmentsFlag = 0x2000;

        /// <summary>Creates a header (20 bytes, no options).</summary>
        public Ipv4Header(Ipv4Address source, Ipv4Address destination, byte protocol, int totalLength, ushort identification,
            byte timeToLive, bool dontFragment = false, bool moreFragments = false, int fragmentOffset = 0, byte typeOfService = 0)
        {
            Source = source;
            Destination = destination;
            Protocol = protocol;
            TotalLength = totalLength;
            Identification = identification;
            TimeToLive = timeToLive;
            DontFragment = dontFragment;
            MoreFragments = moreFragments;
            FragmentOffset = fragmentOffset;
            TypeOfService = typeOfService;
            HeaderLength = MinimumLength;
        }

        private Ipv4Header(int headerLength, Ipv4Header fields)
        {
            this = fields;
            HeaderLength = headerLength;
        }

        /// <summary>Header bytes including options.</summary>
        public int HeaderLength { get; }

        /// <summary>Type of service / DSCP and ECN byte.</summary>
        public byte TypeOfService { get; }

        /// <summary>Header plus payload bytes.</summary>
        public int TotalLength { get; }

        /// <summary>The datagram's identification, shared by its fragments.</summary>
        public ushort Identification { get; }

        /// <summary>DF.</summary>
        public bool DontFragment { get; }

        /// <summary>MF.</summary>
        public bool MoreFragments { get; }

        /// <summary>Where this fragment's payload starts in the datagram's payload, in bytes (a multiple of 8).</summary>
        public int FragmentOffset { get; }

        /// <summary>TTL.</summary>
        public byte TimeToLive { get; }

        /// <summary>The payload's protocol (<see cref="IpProtocol"/>).</summary>
        public byte Protocol { get; }

        /// <summary>Sender.</summary>
        public Ipv4Address Source { get; }

        /// <summary>Receiver.</summary>
        public Ipv4Address Destination { get; }

        /// <summary>True when this is one fragment of a larger datagram.</summary>
        public bool IsFragment => MoreFragments || FragmentOffset != 0;

        /// <summary>Payload bytes.</summary>
        public int PayloadLength => TotalLength - HeaderLength;

        /// <summary>
        /// Reads and checks a header: version 4, a header length of 5..15 words inside the packet, a total length
        /// between the header length and the bytes present (link padding beyond it is ignored), a verifying checksum.
        /// </summary>
        public static bool TryRead(ReadOnlySpan<byte> packet, out Ipv4Header header, out NetworkDropReason reason)
        {
            header = default;
            if (packet.Length < MinimumLength)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            int headerLength = (packet[0] & 0x0F) * 4;
            if ((packet[0] >> 4) != 4 || headerLength < MinimumLength)
            {
                reason = NetworkDropReason.BadHeader;
                return false;
            }

            if (headerLength > packet.Length)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
            if (totalLength < headerLength)
            {
                reason = NetworkDropReason.BadLength;
                return false;
            }

            if (totalLength > packet.Length)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            if (InternetChecksum.Compute(packet.Slice(0, headerLength)) != 0)
            {
                reason = NetworkDropReason.BadChecksum;
                return false;
            }

            ushort flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6));
            if ((flagsAndOffset & 0x8000) != 0)
            {
                // RFC 791: the first flag bit is reserved and must be zero.
                reason = NetworkDropReason.BadHeader;
                return false;
            }

            var fields = new Ipv4Header(
                Ipv4Address.Read(packet.Slice(12)), Ipv4Address.Read(packet.Slice(16)), packet[9], totalLength,
                BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(4)), packet[8],
                (flagsAndOffset & DontFragmentFlag) != 0, (flagsAndOffset & MoreFragmentsFlag) != 0,
                (flagsAndOffset & 0x1FFF) * 8, packet[1]);
            header = new Ipv4Header(headerLength, fields);
            reason = default;
            return true;
        }

        /// <summary>Writes the 20 header bytes with their checksum.</summary>
        public void Write(Span<byte> packet)
        {
            if ((FragmentOffset & 7) != 0 || (uint)TotalLength > ushort.MaxValue)
            {
                throw new InvalidOperationException($"ipv4: fragment offset {FragmentOffset} or total length {TotalLength} cannot be encoded");
            }

            packet[0] = 0x45;
            packet[1] = TypeOfService;
            BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2), (ushort)TotalLength);
            BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(4), Identification);
            ushort flagsAndOffset = (ushort)(FragmentOffset / 8);
            if (DontFragment)
            {
                flagsAndOffset |= DontFragmentFlag;
            }

            if (MoreFragments)
            {
                flagsAndOffset |= MoreFragmentsFlag;
            }

            BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(6), flagsAndOffset);
            packet[8] = TimeToLive;
            packet[9] = Protocol;
            packet[10] = 0;
            packet[11] = 0;
            Source.Write(packet.Slice(12));
            Destination.Write(packet.Slice(16));
            BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(10), InternetChecksum.Compute(packet.Slice(0, MinimumLength)));
        }
    }
}
