using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>A DNS message (RFC 1035 §4.1): the header, the question, and the answer records. Authority and additional sections are not read.</summary>
    public sealed class DnsMessage
    {
        /// <summary>The header's length.</summary>
        public const int HeaderLength = 12;

        /// <summary>The server's port.</summary>
        public const ushort Port = 53;

        /// <summary>RCODE 3: the name does not exist.</summary>
        public const int ResponseNameError = 3;

        /// <summary>RCODE 2: the server failed.</summary>
        public const int ResponseServerFailure = 2;

        /// <summary>The ID.</summary>
        public ushort Id { get; private set; }

        /// <summary>QR: a response.</summary>
        public bool IsResponse { get; private set; }

        /// <summary>TC: the answer was cut to fit a datagram.</summary>
        public bool IsTruncated { get; private set; }

        /// <summary>RCODE.</summary>
        public int ResponseCode { get; private set; }

        /// <summary>The (first) question's name, lower case.</summary>
        public string QuestionName { get; private set; } = string.Empty;

        /// <summary>The (first) question's type.</summary>
        public ushort QuestionType { get; private set; }

        /// <summary>The answer records.</summary>
        public List<DnsRecord> Answers { get; } = new List<DnsRecord>();

        /// <summary>Writes a recursive query for <paramref name="name"/> of type <paramref name="type"/>; returns its length.</summary>
        public static int WriteQuery(Span<byte> destination, ushort id, string name, ushort type)
        {
            destination.Slice(0, HeaderLength).Clear();
            BinaryPrimitives.WriteUInt16BigEndian(destination, id);
            destination[2] = 0x01; // RD
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(4), 1);
            int position = HeaderLength + DnsName.Write(destination.Slice(HeaderLength), name);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(position), type);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(position + 2), DnsRecord.ClassInternet);
            return position + 4;
        }

        /// <summary>Parses a message; false with the reason for anything truncated or malformed (bad names included).</summary>
        public static bool TryParse(ReadOnlySpan<byte> data, out DnsMessage? message, out NetworkDropReason reason)
        {
            message = null;
            reason = NetworkDropReason.Truncated;
            if (data.Length < HeaderLength)
            {
                return false;
            }

            ushort flags = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2));
            var parsed = new DnsMessage
            {
                Id = BinaryPrimitives.ReadUInt16BigEndian(data),
                IsResponse = (flags & 0x8000) != 0,
                IsTruncated = (flags & 0x0200) != 0,
                ResponseCode = flags & 0x000F,
            };
            int questions = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(4));
            int answers = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(6));
            int offset = HeaderLength;
            for (int i = 0; i < questions; i++)
            {
                if (!DnsName.TryRead(data, ref offset, out string name) || offset + 4 > data.Length)
                {
                    reason = NetworkDropReason.BadHeader;
                    return false;
                }

                if (i == 0)
                {
                    parsed.QuestionName = name;
                    parsed.QuestionType = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset));
                }

                offset += 4;
            }

            for (int i = 0; i < answers; i++)
            {
                if (!DnsName.TryRead(data, ref offset, out string name) || offset + 10 > data.Length)
                {
                    reason = NetworkDropReason.BadHeader;
                    return false;
                }

                ushort type = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset));
                ushort recordClass = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 2));
                uint ttl = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(offset + 4));
                int dataLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 8));
                offset += 10;
                if (offset + dataLength > data.Length)
                {
                    reason = NetworkDropReason.BadLength;
                    return false;
                }

                // RFC 2181 §8: a TTL with the top bit set is treated as zero.
                if (ttl > int.MaxValue)
                {
                    ttl = 0;
                }

                Ipv4Address address = default;
                string? target = null;
                if (type == DnsRecord.TypeA && recordClass == DnsRecord.ClassInternet)
                {
                    if (dataLength != 4)
                    {
                        reason = NetworkDropReason.BadLength;
                        return false;
                    }

                    address = Ipv4Address.Read(data.Slice(offset));
                }
                else if (type == DnsRecord.TypeCname)
                {
                    int targetOffset = offset;
                    if (!DnsName.TryRead(data, ref targetOffset, out string cname) || targetOffset > offset + dataLength)
                    {
                        reason = NetworkDropReason.BadHeader;
                        return false;
                    }

                    target = cname;
                }

                parsed.Answers.Add(new DnsRecord(name, type, recordClass, ttl, address, target));
                offset += dataLength;
            }

            message = parsed;
            reason = default;
            return true;
        }
    }
}
