using System;
using System.Buffers.Binary;

namespace Cosmos.System.Network
{
    /// <summary>An ARP packet for IPv4 over Ethernet (RFC 826): 28 bytes.</summary>
    public readonly struct ArpPacket
    {
        /// <summary>Bytes of an Ethernet/IPv4 ARP packet.</summary>
        public const int Length = 28;

        /// <summary>ar$op for a request.</summary>
        public const ushort OperationRequest = 1;

        /// <summary>ar$op for a reply.</summary>
        public const ushort OperationReply = 2;

        private const ushort HardwareEthernet = 1;

        /// <summary>Creates a packet.</summary>
        public ArpPacket(ushort operation, MacAddress senderHardware, Ipv4Address senderProtocol, MacAddress targetHardware, Ipv4Address targetProtocol)
        {
            Operation = operation;
            SenderHardware = senderHardware;
            SenderProtocol = senderProtocol;
            TargetHardware = targetHardware;
            TargetProtocol = targetProtocol;
        }

        /// <summary>Request or reply.</summary>
        public ushort Operation { get; }

        /// <summary>The sender's MAC.</summary>
        public MacAddress SenderHardware { get; }

        /// <summary>The sender's IPv4 address.</summary>
        public Ipv4Address SenderProtocol { get; }

        /// <summary>The target's MAC (zero in a request).</summary>
        public MacAddress TargetHardware { get; }

        /// <summary>The address being asked about (or replied to).</summary>
        public Ipv4Address TargetProtocol { get; }

        /// <summary>True for a gratuitous announcement: the sender asks about (or answers for) its own address (RFC 5227 §3).</summary>
        public bool IsGratuitous => SenderProtocol == TargetProtocol;

        /// <summary>Reads a packet; false with a reason when it is short or not Ethernet/IPv4.</summary>
        public static bool TryRead(ReadOnlySpan<byte> data, out ArpPacket packet, out NetworkDropReason reason)
        {
            packet = default;
            if (data.Length < Length)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            // RFC 826 "Packet Reception": only the hardware and protocol pairs we speak.
            if (BinaryPrimitives.ReadUInt16BigEndian(data) != HardwareEthernet
                || BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2)) != EtherType.Ipv4
                || data[4] != 6 || data[5] != 4)
            {
                reason = NetworkDropReason.BadHeader;
                return false;
            }

            ushort operation = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(6));
            if (operation != OperationRequest && operation != OperationReply)
            {
                reason = NetworkDropReason.UnknownProtocol;
                return false;
            }

            packet = new ArpPacket(operation, MacAddress.Read(data.Slice(8)), Ipv4Address.Read(data.Slice(14)),
                MacAddress.Read(data.Slice(18)), Ipv4Address.Read(data.Slice(24)));
            reason = default;
            return true;
        }

        /// <summary>Writes the 28 bytes.</summary>
        public void Write(Span<byte> data)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data, HardwareEthernet);
            BinaryPrimitives.WriteUInt16BigEndian(data.Slice(2), EtherType.Ipv4);
            data[4] = 6;
            data[5] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(data.Slice(6), Operation);
            SenderHardware.Write(data.Slice(8));
            SenderProtocol.Write(data.Slice(14));
            TargetHardware.Write(data.Slice(18));
            TargetProtocol.Write(data.Slice(24));
        }
    }
}
