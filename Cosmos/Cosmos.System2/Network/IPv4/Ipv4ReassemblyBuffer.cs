using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>The fragments received so far of one datagram, placed at their offsets.</summary>
    internal sealed class Ipv4ReassemblyBuffer
    {
        /// <summary>The largest payload an IPv4 datagram can carry (65535 less a minimal header).</summary>
        public const int MaximumPayload = ushort.MaxValue - Ipv4Header.MinimumLength;

        private readonly List<(int Start, int End)> _ranges = new List<(int Start, int End)>();
        private byte[] _data = Array.Empty<byte>();
        private int _covered;

        public Ipv4ReassemblyBuffer(long deadline)
        {
            Deadline = deadline;
        }

        /// <summary>When reassembly gives up (clock milliseconds).</summary>
        public long Deadline { get; }

        /// <summary>The payload length, known once the last fragment (MF clear) arrived; -1 before.</summary>
        public int TotalLength { get; private set; } = -1;

        public int FragmentCount => _ranges.Count;

        public bool IsComplete => TotalLength >= 0 && _covered == TotalLength;

        public ReadOnlySpan<byte> Payload => _data.AsSpan(0, TotalLength);

        /// <summary>
        /// Places one fragment. An exact repeat of a fragment already held is ignored (links duplicate); any other
        /// overlap, or a fragment past the datagram's end, spoils the datagram (false with the reason).
        /// </summary>
        public bool TryAdd(int start, ReadOnlySpan<byte> payload, bool moreFragments, out NetworkDropReason reason)
        {
            int end = start + payload.Length;
            reason = default;
            if (end > MaximumPayload || (moreFragments && (payload.Length == 0 || (payload.Length & 7) != 0)))
            {
                // RFC 791 §3.2: every fragment but the last carries a multiple of 8 bytes.
                reason = NetworkDropReason.BadLength;
                return false;
            }

            if (!moreFragments)
            {
                if ((TotalLength >= 0 && TotalLength != end) || (_ranges.Count > 0 && _ranges[^1].End > end))
                {
                    reason = NetworkDropReason.FragmentOverlap;
                    return false;
                }
            }
            else if (TotalLength >= 0 && end > TotalLength)
            {
                reason = NetworkDropReason.FragmentOverlap;
                return false;
            }

            int index = 0;
            while (index < _ranges.Count && _ranges[index].Start < start)
            {
                index++;
            }

            if (index < _ranges.Count && _ranges[index].Start == start && _ranges[index].End == end)
            {
                if (!moreFragments)
                {
                    TotalLength = end;
                }

                return true;
            }

            // Fragment overlap is treated as an attack, not merged (as RFC 5722 does for IPv6).
            bool overlapsPrevious = index > 0 && _ranges[index - 1].End > start;
            bool overlapsNext = index < _ranges.Count && _ranges[index].Start < end;
            if (overlapsPrevious || overlapsNext)
            {
                reason = NetworkDropReason.FragmentOverlap;
                return false;
            }

            if (end > _data.Length)
            {
                byte[] grown = new byte[Math.Min(MaximumPayload, Math.Max(end, _data.Length * 2))];
                _data.AsSpan().CopyTo(grown);
                _data = grown;
            }

            payload.CopyTo(_data.AsSpan(start));
            _ranges.Insert(index, (start, end));
            _covered += payload.Length;
            if (!moreFragments)
            {
                TotalLength = end;
            }

            return true;
        }
    }
}
