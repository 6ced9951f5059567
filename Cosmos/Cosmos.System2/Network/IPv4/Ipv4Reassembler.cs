using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>Reassembles fragmented datagrams (RFC 791 §3.2, RFC 815) within a timeout and a bounded amount of memory.</summary>
    internal sealed class Ipv4Reassembler
    {
        private readonly Dictionary<(uint Source, uint Destination, ushort Id, byte Protocol), Ipv4ReassemblyBuffer> _buffers =
            new Dictionary<(uint, uint, ushort, byte), Ipv4ReassemblyBuffer>();

        private readonly ProtocolCounters _counters;

        public Ipv4Reassembler(ProtocolCounters counters)
        {
            _counters = counters;
        }

        /// <summary>How long a datagram may take to arrive whole (RFC 1122 §3.3.2 recommends 60 to 120 s).</summary>
        public long Timeout { get; set; } = 60_000;

        /// <summary>Datagrams in reassembly at once; the oldest gives way to a new one.</summary>
        public int MaxDatagrams { get; set; } = 16;

        /// <summary>Fragments one datagram may be cut into.</summary>
        public int MaxFragments { get; set; } = 64;

        public int InProgress => _buffers.Count;

        /// <summary>
        /// Adds a fragment; returns the whole payload once the last hole is filled, null while holes remain or when
        /// the fragment was dropped (and counted).
        /// </summary>
        public byte[]? Add(in Ipv4Header header, ReadOnlySpan<byte> payload, long now)
        {
            var key = (header.Source.Value, header.Destination.Value, header.Identification, header.Protocol);
            if (!_buffers.TryGetValue(key, out Ipv4ReassemblyBuffer? buffer))
            {
                if (_buffers.Count >= MaxDatagrams)
                {
                    EvictOldest();
                }

                buffer = new Ipv4ReassemblyBuffer(now + Timeout);
                _buffers.Add(key, buffer);
            }

            if (buffer.FragmentCount >= MaxFragments)
            {
                _buffers.Remove(key);
                _counters.Drop(NetworkDropReason.ReassemblyLimit);
                return null;
            }

            if (!buffer.TryAdd(header.FragmentOffset, payload, header.MoreFragments, out NetworkDropReason reason))
            {
                _buffers.Remove(key);
                _counters.Drop(reason);
                return null;
            }

            if (!buffer.IsComplete)
            {
                return null;
            }

            _buffers.Remove(key);
            return buffer.Payload.ToArray();
        }

        /// <summary>Discards datagrams past their deadline; returns the earliest deadline left.</summary>
        public long RunTimers(long now)
        {
            long next = long.MaxValue;
            List<(uint, uint, ushort, byte)>? expired = null;
            foreach (var pair in _buffers)
            {
                if (pair.Value.Deadline <= now)
                {
                    (expired ??= new List<(uint, uint, ushort, byte)>()).Add(pair.Key);
                }
                else
                {
                    next = Math.Min(next, pair.Value.Deadline);
                }
            }

            if (expired != null)
            {
                foreach (var key in expired)
                {
                    _buffers.Remove(key);
                    _counters.Drop(NetworkDropReason.ReassemblyTimeout);
                }
            }

            return next;
        }

        private void EvictOldest()
        {
            (uint, uint, ushort, byte)? oldest = null;
            long oldestDeadline = long.MaxValue;
            foreach (var pair in _buffers)
            {
                if (pair.Value.Deadline < oldestDeadline)
                {
                    oldestDeadline = pair.Value.Deadline;
                    oldest = pair.Key;
                }
            }

            if (oldest.HasValue)
            {
                _buffers.Remove(oldest.Value);
                _counters.Drop(NetworkDropReason.ReassemblyLimit);
            }
        }
    }
}
