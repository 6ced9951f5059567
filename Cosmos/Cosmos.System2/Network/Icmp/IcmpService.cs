using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>ICMP for a host (RFC 792, RFC 1122 §3.2.2): answers pings, sends our own, and reports errors about what we cannot deliver.</summary>
    public sealed class IcmpService
    {
        private readonly NetworkStack _stack;
        private readonly ProtocolCounters _counters;
        private readonly Dictionary<ushort, PingRequest> _pending = new Dictionary<ushort, PingRequest>();
        private readonly ushort _identifier;
        private byte[] _message = new byte[576];
        private ushort _nextSequence;

        internal IcmpService(NetworkStack stack)
        {
            _stack = stack;
            _counters = stack.Counters.Icmp;
            _identifier = (ushort)stack.Random.Next(1, 0x10000);
        }

        /// <summary>Answer echo requests (on by default).</summary>
        public bool RespondToEcho { get; set; } = true;

        /// <summary>
        /// Sends an echo request of <paramref name="payloadLength"/> data bytes to <paramref name="destination"/>;
        /// the returned request completes on the reply, an ICMP error about it, or after <paramref name="timeoutMilliseconds"/>.
        /// </summary>
        public PingRequest Ping(Ipv4Address destination, int payloadLength = 56, long timeoutMilliseconds = 1000, byte timeToLive = 64)
        {
            if ((uint)payloadLength > Ipv4ReassemblyBuffer.MaximumPayload - IcmpMessage.HeaderLength)
            {
                throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "an echo request carries 0..65507 bytes");
            }

            long now = _stack.Now;
            ushort sequence = _nextSequence++;
            var request = new PingRequest(destination, _identifier, sequence, payloadLength, now, now + timeoutMilliseconds);
            Span<byte> message = Buffer(IcmpMessage.HeaderLength + payloadLength);
            message[0] = IcmpMessage.TypeEchoRequest;
            message[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(message.Slice(4), _identifier);
            BinaryPrimitives.WriteUInt16BigEndian(message.Slice(6), sequence);
            for (int i = 0; i < payloadLength; i++)
            {
                message[IcmpMessage.HeaderLength + i] = (byte)(0x20 + (i % 64));
            }

            _pending.Remove(sequence);
            if (Send(default, destination, message, timeToLive) != NetworkResult.Success)
            {
                request.Status = PingStatus.SendFailed;
                return request;
            }

            _pending.Add(sequence, request);
            _stack.ArmTimer(request.Deadline);
            return request;
        }

        internal void Receive(in Ipv4Datagram datagram, ReadOnlySpan<byte> message)
        {
            if (message.Length < IcmpMessage.HeaderLength)
            {
                _counters.Drop(NetworkDropReason.Truncated);
                return;
            }

            if (InternetChecksum.Compute(message) != 0)
            {
                _counters.Drop(NetworkDropReason.BadChecksum);
                return;
            }

            _counters.CountIn(message.Length);
            switch (message[0])
            {
                case IcmpMessage.TypeEchoRequest:
                    // RFC 1122 §3.2.2.6: an echo request to a broadcast address may be ignored, and is.
                    if (datagram.IsBroadcast || !RespondToEcho)
                    {
                        _counters.Drop(NetworkDropReason.NotForUs);
                        return;
                    }

                    Span<byte> reply = Buffer(message.Length);
                    message.CopyTo(reply);
                    reply[0] = IcmpMessage.TypeEchoReply;
                    Send(datagram.Destination, datagram.Source, reply, 64);
                    break;
                case IcmpMessage.TypeEchoReply:
                    ushort identifier = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(4));
                    ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(6));
                    if (identifier != _identifier || !_pending.Remove(sequence, out PingRequest? request))
                    {
                        _counters.Drop(NetworkDropReason.Unsolicited);
                        return;
                    }

                    request.Status = PingStatus.Replied;
                    request.RoundTripMilliseconds = _stack.Now - request.SentAt;
                    request.ReplyTimeToLive = datagram.Header.TimeToLive;
                    request.Responder = datagram.Source;
                    break;
                case IcmpMessage.TypeDestinationUnreachable:
                case IcmpMessage.TypeTimeExceeded:
                    ReceiveError(datagram.Source, message);
                    break;
                default:
                    _counters.Drop(NetworkDropReason.UnknownProtocol);
                    break;
            }
        }

        /// <summary>
        /// Reports that <paramref name="datagram"/> could not be delivered, quoting its header and first 8 payload bytes,
        /// unless RFC 1122 §3.2.2 forbids it (broadcasts, non-first fragments, ICMP errors, unspecified sources).
        /// </summary>
        internal void SendError(byte type, byte code, in Ipv4Datagram datagram, ReadOnlySpan<byte> payload)
        {
            if (datagram.IsBroadcast || datagram.Source.IsAny || datagram.Header.FragmentOffset != 0
                || (datagram.Header.Protocol == IpProtocol.Icmp && (payload.Length == 0 || IcmpMessage.IsError(payload[0]))))
            {
                return;
            }

            int quoted = Math.Min(8, payload.Length);
            Span<byte> message = Buffer(IcmpMessage.HeaderLength + datagram.HeaderBytes.Length + quoted);
            message.Clear();
            message[0] = type;
            message[1] = code;
            datagram.HeaderBytes.CopyTo(message.Slice(IcmpMessage.HeaderLength));
            payload.Slice(0, quoted).CopyTo(message.Slice(IcmpMessage.HeaderLength + datagram.HeaderBytes.Length));
            Send(datagram.Destination, datagram.Source, message, 64);
        }

        internal long RunTimers(long now)
        {
            long next = long.MaxValue;
            List<ushort>? expired = null;
            foreach (PingRequest request in _pending.Values)
            {
                if (request.Deadline <= now)
                {
                    request.Status = PingStatus.TimedOut;
                    (expired ??= new List<ushort>()).Add(request.Sequence);
                }
                else
                {
                    next = Math.Min(next, request.Deadline);
                }
            }

            if (expired != null)
            {
                foreach (ushort sequence in expired)
                {
                    _pending.Remove(sequence);
                }
            }

            return next;
        }

        private void ReceiveError(Ipv4Address reporter, ReadOnlySpan<byte> message)
        {
            // The quoted datagram: its header, then at least 8 bytes of its payload (RFC 792).
            ReadOnlySpan<byte> quoted = message.Slice(IcmpMessage.HeaderLength);
            if (quoted.Length < Ipv4Header.MinimumLength)
            {
                _counters.Drop(NetworkDropReason.Truncated);
                return;
            }

            int headerLength = (quoted[0] & 0x0F) * 4;
            if (headerLength < Ipv4Header.MinimumLength || quoted.Length < headerLength + IcmpMessage.HeaderLength)
            {
                _counters.Drop(NetworkDropReason.Truncated);
                return;
            }

            ReadOnlySpan<byte> inner = quoted.Slice(headerLength);
            if (quoted[9] != IpProtocol.Icmp || inner[0] != IcmpMessage.TypeEchoRequest
                || BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(4)) != _identifier
                || !_pending.Remove(BinaryPrimitives.ReadUInt16BigEndian(inner.Slice(6)), out PingRequest? request))
            {
                // An error about UDP or TCP traffic: TCP recovers by retransmission (RFC 1122 §4.2.3.9 soft errors).
                return;
            }

            request.Status = message[0] == IcmpMessage.TypeTimeExceeded ? PingStatus.TimeExceeded : PingStatus.Unreachable;
            request.Responder = reporter;
            request.RoundTripMilliseconds = _stack.Now - request.SentAt;
        }

        private NetworkResult Send(Ipv4Address source, Ipv4Address destination, Span<byte> message, byte timeToLive)
        {
            message[2] = 0;
            message[3] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(message.Slice(2), InternetChecksum.Compute(message));
            NetworkResult result = _stack.Ipv4.Send(source, destination, IpProtocol.Icmp, message, timeToLive);
            if (result == NetworkResult.Success)
            {
                _counters.CountOut(message.Length);
            }

            return result;
        }

        private Span<byte> Buffer(int length)
        {
            if (_message.Length < length)
            {
                _message = new byte[Math.Max(length, _message.Length * 2)];
            }

            return _message.AsSpan(0, length);
        }
    }
}
