using System;

namespace Cosmos.System.Network
{
    /// <summary>A fixed-capacity ring of bytes: the send buffer (unacknowledged and unsent data) and the receive buffer (data not yet read).</summary>
    internal sealed class TcpByteRing
    {
        private readonly byte[] _data;
        private int _head;

        public TcpByteRing(int capacity)
        {
            _data = new byte[capacity];
        }

        public int Capacity => _data.Length;

        public int Count { get; private set; }

        public int Free => _data.Length - Count;

        /// <summary>Appends as much of <paramref name="source"/> as fits; returns the bytes taken.</summary>
        public int Write(ReadOnlySpan<byte> source)
        {
            int length = Math.Min(source.Length, Free);
            int tail = (_head + Count) % _data.Length;
            int first = Math.Min(length, _data.Length - tail);
            source.Slice(0, first).CopyTo(_data.AsSpan(tail));
            source.Slice(first, length - first).CopyTo(_data);
            Count += length;
            return length;
        }

        /// <summary>Copies <paramref name="destination"/>.Length bytes starting <paramref name="offset"/> bytes past the head.</summary>
        public void Peek(int offset, Span<byte> destination)
        {
            if (offset < 0 || offset + destination.Length > Count)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"tcp: peek of {destination.Length} bytes at {offset} past {Count} buffered");
            }

            int start = (_head + offset) % _data.Length;
            int first = Math.Min(destination.Length, _data.Length - start);
            _data.AsSpan(start, first).CopyTo(destination);
            _data.AsSpan(0, destination.Length - first).CopyTo(destination.Slice(first));
        }

        /// <summary>Drops <paramref name="count"/> bytes from the head.</summary>
        public void Consume(int count)
        {
            count = Math.Min(count, Count);
            _head = (_head + count) % _data.Length;
            Count -= count;
            if (Count == 0)
            {
                _head = 0;
            }
        }

        /// <summary>Moves up to <paramref name="destination"/>.Length bytes out; returns how many.</summary>
        public int Read(Span<byte> destination)
        {
            int length = Math.Min(destination.Length, Count);
            Peek(0, destination.Slice(0, length));
            Consume(length);
            return length;
        }
    }
}
