using System;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A ring of bytes of bounded capacity: the send buffer (unacknowledged and unsent data) and the receive buffer (data
    /// not yet read). Its storage starts small and doubles as data arrives, up to the capacity, so a connection that
    /// carries little holds little while a bulk transfer gets the whole window its buffer size allows.
    /// </summary>
    internal sealed class TcpByteRing
    {
        private const int InitialStorage = 16 * 1024;
        private byte[] _data;
        private int _head;

        public TcpByteRing(int capacity)
        {
            Capacity = capacity;
            _data = new byte[Math.Min(capacity, InitialStorage)];
        }

        /// <summary>The most bytes the ring holds (what the window and the send limit are computed from).</summary>
        public int Capacity { get; }

        public int Count { get; private set; }

        public int Free => Capacity - Count;

        /// <summary>Appends as much of <paramref name="source"/> as fits; returns the bytes taken.</summary>
        public int Write(ReadOnlySpan<byte> source)
        {
            int length = Math.Min(source.Length, Free);
            if (Count + length > _data.Length)
            {
                Grow(Count + length);
            }

            int tail = (_head + Count) % _data.Length;
            int first = Math.Min(length, _data.Length - tail);
            source.Slice(0, first).CopyTo(_data.AsSpan(tail));
            source.Slice(first, length - first).CopyTo(_data);
            Count += length;
            return length;
        }

        // Doubles the storage until `needed` fits (at most the capacity); the bytes held move to its start.
        private void Grow(int needed)
        {
            int size = _data.Length;
            while (size < needed)
            {
                size = (int)Math.Min((long)size * 2, Capacity);
            }

            byte[] larger = new byte[size];
            Peek(0, larger.AsSpan(0, Count));
            _data = larger;
            _head = 0;
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
