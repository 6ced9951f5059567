using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// Segments that arrived ahead of RCV.NXT, kept sorted by sequence number until the hole before them fills
    /// (RFC 9293 §3.10.7.4 "seventh, process the segment text"). Only data inside the receive window is ever
    /// offered, so the bytes held stay below the window; overlaps are trimmed when the data is taken.
    /// </summary>
    internal sealed class TcpReassemblyQueue
    {
        private readonly List<(uint Sequence, byte[] Data)> _segments = new List<(uint, byte[])>();

        /// <summary>Segments held at most; further ones are dropped (the sender retransmits them).</summary>
        public int MaxSegments { get; set; } = 512;

        public int Count => _segments.Count;

        public int BytesHeld { get; private set; }

        /// <summary>Holds a segment; false when it was redundant or the queue is full.</summary>
        public bool Add(uint sequence, ReadOnlySpan<byte> data)
        {
            if (data.Length == 0 || _segments.Count >= MaxSegments)
            {
                return false;
            }

            int index = _segments.Count;
            while (index > 0 && TcpSequence.GreaterThan(_segments[index - 1].Sequence, sequence))
            {
                index--;
            }

            // Already covered by the segment before, or an exact repeat of the one at this place.
            if (index > 0)
            {
                (uint previousSequence, byte[] previous) = _segments[index - 1];
                if (TcpSequence.GreaterOrEqual(previousSequence + (uint)previous.Length, sequence + (uint)data.Length))
                {
                    return false;
                }
            }

            if (index < _segments.Count && _segments[index].Sequence == sequence && _segments[index].Data.Length >= data.Length)
            {
                return false;
            }

            _segments.Insert(index, (sequence, data.ToArray()));
            BytesHeld += data.Length;
            return true;
        }

        /// <summary>Moves the data that now continues at <paramref name="next"/> into <paramref name="ring"/>; returns the new RCV.NXT.</summary>
        public uint Drain(uint next, TcpByteRing ring)
        {
            while (_segments.Count > 0 && TcpSequence.LessOrEqual(_segments[0].Sequence, next))
            {
                (uint sequence, byte[] data) = _segments[0];
                _segments.RemoveAt(0);
                BytesHeld -= data.Length;
                uint skip = next - sequence;
                if (skip < (uint)data.Length)
                {
                    int written = ring.Write(data.AsSpan((int)skip));
                    next += (uint)written;
                }
            }

            return next;
        }

        public void Clear()
        {
            _segments.Clear();
            BytesHeld = 0;
        }
    }
}
