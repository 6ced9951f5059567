using System;
using System.Buffers.Binary;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>A TCP header (RFC 9293 §3.1) with the options this stack understands: MSS (§3.7.1) and window scale (RFC 7323 §2).</summary>
    public readonly struct TcpHeader
    {
        /// <summary>Bytes of a header without options.</summary>
        public const int MinimumLength = 20;

        /// <summary>The largest shift a window scale option may ask for (RFC 7323 §2.3).</summary>
        public const int MaximumWindowScale = 14;

        /// <summary>Creates a header; <paramref name="maximumSegmentSize"/> 0 and <paramref name="windowScale"/> -1 leave the options out.</summary>
        public TcpHeader(ushort sourcePort, ushort destinationPort, uint sequenceNumber, uint acknowledgmentNumber, TcpFlags flags,
            ushort window, int maximumSegmentSize = 0, int windowScale = -1)
        {
            SourcePort = sourcePort;
            DestinationPort = destinationPort;
            SequenceNumber = sequenceNumber;
            AcknowledgmentNumber = acknowledgmentNumber;
            Flags = flags;
            Window = window;
            MaximumSegmentSize = maximumSegmentSize;
            WindowScale = windowScale;
            HeaderLength = MinimumLength + (maximumSegmentSize > 0 ? 4 : 0) + (windowScale >= 0 ? 4 : 0);
        }

        private TcpHeader(TcpHeader fields, int headerLength)
        {
            this = fields;
            HeaderLength = headerLength;
        }

        /// <summary>The sender's port.</summary>
        public ushort SourcePort { get; }

        /// <summary>The receiver's port.</summary>
        public ushort DestinationPort { get; }

        /// <summary>SEG.SEQ.</summary>
        public uint SequenceNumber { get; }

        /// <summary>SEG.ACK.</summary>
        public uint AcknowledgmentNumber { get; }

        /// <summary>The control bits.</summary>
        public TcpFlags Flags { get; }

        /// <summary>SEG.WND as sent (unscaled).</summary>
        public ushort Window { get; }

        /// <summary>Header bytes including options.</summary>
        public int HeaderLength { get; }

        /// <summary>The MSS option's value, or 0 when absent.</summary>
        public int MaximumSegmentSize { get; }

        /// <summary>The window scale option's shift (capped at 14), or -1 when absent.</summary>
        public int WindowScale { get; }

        /// <summary>True when all of <paramref name="flags"/> are set.</summary>
        public bool Has(TcpFlags flags) => (Flags & flags) == flags;

        /// <summary>
        /// Reads and checks a segment's header: the data offset within the segment, every option inside the header,
        /// and the checksum over the pseudo-header and the whole segment.
        /// </summary>
        public static bool TryRead(ReadOnlySpan<byte> segment, Ipv4Address source, Ipv4Address destination, out TcpHeader header, out NetworkDropReason reason)
        {
            header = default;
            if (segment.Length < MinimumLength)
            {
                reason = NetworkDropReason.Truncated;
                return false;
            }

            int headerLength = (segment[12] >> 4) * 4;
            if (headerLength < MinimumLength || headerLength > segment.Length)
            {
                reason = NetworkDropReason.BadLength;
                return false;
            }

            uint sum = PseudoHeader.Add(0, source, destination, IpProtocol.Tcp, segment.Length);
            if (InternetChecksum.Finish(InternetChecksum.Add(sum, segment)) != 0)
            {
                reason = NetworkDropReason.BadChecksum;
                return false;
            }

            int mss = 0;
            int scale = -1;
            ReadOnlySpan<byte> options = segment.Slice(MinimumLength, headerLength - MinimumLength);
            int position = 0;
            while (position < options.Length)
            {
                byte kind = options[position];
                if (kind == 0)
                {
                    break;
                }

                if (kind == 1)
                {
                    position++;
                    continue;
                }

                // RFC 9293 §3.1: every other option carries a length covering kind and length, inside the header.
                if (position + 1 >= options.Length || options[position + 1] < 2 || position + options[position + 1] > options.Length)
                {
                    reason = NetworkDropReason.BadHeader;
                    return false;
                }

                int length = options[position + 1];
                if (kind == 2)
                {
                    if (length != 4)
                    {
                        reason = NetworkDropReason.BadHeader;
                        return false;
                    }

                    mss = BinaryPrimitives.ReadUInt16BigEndian(options.Slice(position + 2));
                }
                else if (kind == 3)
                {
                    if (length != 3)
                    {
                        reason = NetworkDropReason.BadHeader;
                        return false;
                    }

                    scale = Math.Min((int)options[position + 2], MaximumWindowScale);
                }

                position += length;
            }

            var fields = new TcpHeader(
                BinaryPrimitives.ReadUInt16BigEndian(segment), BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(2)),
                BinaryPrimitives.ReadUInt32BigEndian(segment.Slice(4)), BinaryPrimitives.ReadUInt32BigEndian(segment.Slice(8)),
                (TcpFlags)segment[13], BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(14)), mss, scale);
            header = new TcpHeader(fields, headerLength);
            reason = default;
            return true;
        }

        /// <summary>Writes the header (with its options) at the start of <paramref name="segment"/>, checksum zero.</summary>
        public void Write(Span<byte> segment)
        {
            BinaryPrimitives.WriteUInt16BigEndian(segment, SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(2), DestinationPort);
            BinaryPrimitives.WriteUInt32BigEndian(segment.Slice(4), SequenceNumber);
            BinaryPrimitives.WriteUInt32BigEndian(segment.Slice(8), AcknowledgmentNumber);
            segment[12] = (byte)((HeaderLength / 4) << 4);
            segment[13] = (byte)Flags;
            BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(14), Window);
            segment[16] = 0;
            segment[17] = 0;
            segment[18] = 0;
            segment[19] = 0;
            int position = MinimumLength;
            if (MaximumSegmentSize > 0)
            {
                segment[position] = 2;
                segment[position + 1] = 4;
                BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(position + 2), (ushort)Math.Min(MaximumSegmentSize, ushort.MaxValue));
                position += 4;
            }

            if (WindowScale >= 0)
            {
                // NOP, then kind 3 length 3: keeps the header a multiple of 4 bytes (RFC 7323 §2.2 layout).
                segment[position] = 1;
                segment[position + 1] = 3;
                segment[position + 2] = 3;
                segment[position + 3] = (byte)WindowScale;
            }
        }

        /// <summary>Fills in the checksum of a complete segment (header and data).</summary>
        public static void WriteChecksum(Span<byte> segment, Ipv4Address source, Ipv4Address destination)
        {
            segment[16] = 0;
            segment[17] = 0;
            uint sum = PseudoHeader.Add(0, source, destination, IpProtocol.Tcp, segment.Length);
            BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), InternetChecksum.Finish(InternetChecksum.Add(sum, segment)));
        }
    }
}
