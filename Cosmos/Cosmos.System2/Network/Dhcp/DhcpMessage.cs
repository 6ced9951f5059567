using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A DHCP message (RFC 2131 §2) with the options this client uses (RFC 2132). Parsing checks every option's
    /// length against the packet; option overload (52) is not honoured, so options in sname/file are not read.
    /// </summary>
    public sealed class DhcpMessage
    {
        /// <summary>The server's UDP port.</summary>
        public const ushort ServerPort = 67;

        /// <summary>The client's UDP port.</summary>
        public const ushort ClientPort = 68;

        /// <summary>Bytes before the options: the BOOTP fields and the magic cookie.</summary>
        public const int FixedLength = 240;

        /// <summary>The BOOTP broadcast flag (RFC 2131 §4.1): reply by broadcast, the client cannot receive unicast yet.</summary>
        public const ushort BroadcastFlag = 0x8000;

        private const uint MagicCookie = 0x63825363;

        /// <summary>1 for a request from a client (BOOTREQUEST), 2 for a reply from a server (BOOTREPLY).</summary>
        public byte Operation { get; set; } = 1;

        /// <summary>The transaction ID the client chose.</summary>
        public uint TransactionId { get; set; }

        /// <summary>Seconds since the client started.</summary>
        public ushort Seconds { get; set; }

        /// <summary>Flags (<see cref="BroadcastFlag"/>).</summary>
        public ushort Flags { get; set; }

        /// <summary>ciaddr: the client's address while it holds a lease.</summary>
        public Ipv4Address ClientAddress { get; set; }

        /// <summary>yiaddr: the address offered or granted.</summary>
        public Ipv4Address YourAddress { get; set; }

        /// <summary>siaddr: the next server (boot).</summary>
        public Ipv4Address NextServerAddress { get; set; }

        /// <summary>giaddr: the relay agent.</summary>
        public Ipv4Address RelayAddress { get; set; }

        /// <summary>chaddr: the client's MAC.</summary>
        public MacAddress ClientHardwareAddress { get; set; }

        /// <summary>Option 53.</summary>
        public DhcpMessageType MessageType { get; set; }

        /// <summary>Option 1, or 0.0.0.0.</summary>
        public Ipv4Address SubnetMask { get; set; }

        /// <summary>Option 3 (routers, in order of preference).</summary>
        public List<Ipv4Address> Routers { get; } = new List<Ipv4Address>();

        /// <summary>Option 6.</summary>
        public List<Ipv4Address> DnsServers { get; } = new List<Ipv4Address>();

        /// <summary>Option 51 in seconds, or 0.</summary>
        public uint LeaseTime { get; set; }

        /// <summary>Option 58 (T1) in seconds, or 0.</summary>
        public uint RenewalTime { get; set; }

        /// <summary>Option 59 (T2) in seconds, or 0.</summary>
        public uint RebindingTime { get; set; }

        /// <summary>Option 54, or 0.0.0.0.</summary>
        public Ipv4Address ServerIdentifier { get; set; }

        /// <summary>Option 50, or 0.0.0.0.</summary>
        public Ipv4Address RequestedAddress { get; set; }

        /// <summary>Option 55 (the option codes the client asks for), or null.</summary>
        public byte[]? ParameterRequestList { get; set; }

        /// <summary>Option 12, or null.</summary>
        public string? HostName { get; set; }

        /// <summary>Bytes <see cref="Write"/> needs.</summary>
        public int EncodedLength =>
            FixedLength + 3 /* message type */ + 9 /* client id */ + (SubnetMask.IsAny ? 0 : 6) + (Routers.Count == 0 ? 0 : 2 + 4 * Routers.Count)
            + (DnsServers.Count == 0 ? 0 : 2 + 4 * DnsServers.Count) + (LeaseTime == 0 ? 0 : 6) + (RenewalTime == 0 ? 0 : 6)
            + (RebindingTime == 0 ? 0 : 6) + (ServerIdentifier.IsAny ? 0 : 6) + (RequestedAddress.IsAny ? 0 : 6)
            + (ParameterRequestList == null ? 0 : 2 + ParameterRequestList.Length) + (HostName == null ? 0 : 2 + HostName.Length) + 1;

        /// <summary>Parses a message; false with the reason for anything short, malformed, or not Ethernet DHCP.</summary>
        public static bool TryParse(ReadOnlySpan<byte> data, out DhcpMessage? message, out NetworkDropReason reason)
        {
            message = null;
            if (data.Length < FixedLength)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            if ((data[0] != 1 && data[0] != 2) || data[1] != 1 || data[2] != 6 || BinaryPrimitives.ReadUInt32BigEndian(data.Slice(236)) != MagicCookie)
            {
                reason = NetworkDropReason.BadHeader;
                return false;
            }

            var parsed = new DhcpMessage
            {
                Operation = data[0],
                TransactionId = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(4)),
                Seconds = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(8)),
                Flags = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(10)),
                ClientAddress = Ipv4Address.Read(data.Slice(12)),
                YourAddress = Ipv4Address.Read(data.Slice(16)),
                NextServerAddress = Ipv4Address.Read(data.Slice(20)),
                RelayAddress = Ipv4Address.Read(data.Slice(24)),
                ClientHardwareAddress = MacAddress.Read(data.Slice(28)),
            };

            int position = FixedLength;
            while (position < data.Length)
            {
                byte code = data[position++];
                if (code == 0)
                {
                    continue;
                }

                if (code == 255)
                {
                    break;
                }

                if (position >= data.Length || position + 1 + data[position] > data.Length)
                {
                    reason = NetworkDropReason.BadLength;
                    return false;
                }

                ReadOnlySpan<byte> value = data.Slice(position + 1, data[position]);
                position += 1 + value.Length;
                if (!parsed.ReadOption(code, value))
                {
                    reason = NetworkDropReason.BadHeader;
                    return false;
                }
            }

            message = parsed;
            reason = default;
            return true;
        }

        /// <summary>Writes the message; returns its length (<see cref="EncodedLength"/>).</summary>
        public int Write(Span<byte> data)
        {
            int length = EncodedLength;
            data.Slice(0, length).Clear();
            data[0] = Operation;
            data[1] = 1;
            data[2] = 6;
            BinaryPrimitives.WriteUInt32BigEndian(data.Slice(4), TransactionId);
            BinaryPrimitives.WriteUInt16BigEndian(data.Slice(8), Seconds);
            BinaryPrimitives.WriteUInt16BigEndian(data.Slice(10), Flags);
            ClientAddress.Write(data.Slice(12));
            YourAddress.Write(data.Slice(16));
            NextServerAddress.Write(data.Slice(20));
            RelayAddress.Write(data.Slice(24));
            ClientHardwareAddress.Write(data.Slice(28));
            BinaryPrimitives.WriteUInt32BigEndian(data.Slice(236), MagicCookie);
            int position = FixedLength;
            data[position++] = 53;
            data[position++] = 1;
            data[position++] = (byte)MessageType;
            // Option 61, type 1 (Ethernet) and the MAC (RFC 2132 §9.14).
            data[position++] = 61;
            data[position++] = 7;
            data[position++] = 1;
            ClientHardwareAddress.Write(data.Slice(position));
            position += 6;
            position = WriteAddressOption(data, position, 1, SubnetMask);
            position = WriteAddressList(data, position, 3, Routers);
            position = WriteAddressList(data, position, 6, DnsServers);
            position = WriteSecondsOption(data, position, 51, LeaseTime);
            position = WriteSecondsOption(data, position, 58, RenewalTime);
            position = WriteSecondsOption(data, position, 59, RebindingTime);
            position = WriteAddressOption(data, position, 54, ServerIdentifier);
            position = WriteAddressOption(data, position, 50, RequestedAddress);
            if (ParameterRequestList != null)
            {
                data[position++] = 55;
                data[position++] = (byte)ParameterRequestList.Length;
                ParameterRequestList.CopyTo(data.Slice(position));
                position += ParameterRequestList.Length;
            }

            if (HostName != null)
            {
                data[position++] = 12;
                data[position++] = (byte)HostName.Length;
                foreach (char c in HostName)
                {
                    data[position++] = (byte)c;
                }
            }

            data[position++] = 255;
            return position;
        }

        private bool ReadOption(byte code, ReadOnlySpan<byte> value)
        {
            switch (code)
            {
                case 53:
                    if (value.Length != 1)
                    {
                        return false;
                    }

                    MessageType = (DhcpMessageType)value[0];
                    return true;
                case 1:
                case 54:
                case 50:
                    if (value.Length != 4)
                    {
                        return false;
                    }

                    Ipv4Address address = Ipv4Address.Read(value);
                    if (code == 1)
                    {
                        SubnetMask = address;
                    }
                    else if (code == 54)
                    {
                        ServerIdentifier = address;
                    }
                    else
                    {
                        RequestedAddress = address;
                    }

                    return true;
                case 3:
                    return ReadAddressList(value, Routers);
                case 6:
                    return ReadAddressList(value, DnsServers);
                case 51:
                case 58:
                case 59:
                    if (value.Length != 4)
                    {
                        return false;
                    }

                    uint seconds = BinaryPrimitives.ReadUInt32BigEndian(value);
                    if (code == 51)
                    {
                        LeaseTime = seconds;
                    }
                    else if (code == 58)
                    {
                        RenewalTime = seconds;
                    }
                    else
                    {
                        RebindingTime = seconds;
                    }

                    return true;
                default:
                    // Options we do not use are skipped; their length was checked by the caller.
                    return true;
            }
        }

        private static bool ReadAddressList(ReadOnlySpan<byte> value, List<Ipv4Address> list)
        {
            if (value.Length == 0 || value.Length % 4 != 0)
            {
                return false;
            }

            for (int i = 0; i < value.Length; i += 4)
            {
                list.Add(Ipv4Address.Read(value.Slice(i)));
            }

            return true;
        }

        private static int WriteAddressOption(Span<byte> data, int position, byte code, Ipv4Address address)
        {
            if (address.IsAny)
            {
                return position;
            }

            data[position] = code;
            data[position + 1] = 4;
            address.Write(data.Slice(position + 2));
            return position + 6;
        }

        private static int WriteAddressList(Span<byte> data, int position, byte code, List<Ipv4Address> addresses)
        {
            if (addresses.Count == 0)
            {
                return position;
            }

            data[position] = code;
            data[position + 1] = (byte)(4 * addresses.Count);
            for (int i = 0; i < addresses.Count; i++)
            {
                addresses[i].Write(data.Slice(position + 2 + 4 * i));
            }

            return position + 2 + 4 * addresses.Count;
        }

        private static int WriteSecondsOption(Span<byte> data, int position, byte code, uint seconds)
        {
            if (seconds == 0)
            {
                return position;
            }

            data[position] = code;
            data[position + 1] = 4;
            BinaryPrimitives.WriteUInt32BigEndian(data.Slice(position + 2), seconds);
            return position + 6;
        }
    }
}
