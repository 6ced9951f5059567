using System.Threading;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// Bytes from one port, from the interrupt handler (the only writer) to the thread that reads events (the
    /// only reader). Fixed size and allocation-free on the writer's side; a full ring drops the new byte and
    /// counts it (the decoders resynchronise).
    /// </summary>
    internal sealed class Ps2ByteRing
    {
        private const int Capacity = 512; // a power of two: indexes wrap by masking
        private readonly byte[] _bytes = new byte[Capacity];
        private int _head; // next to write; only the writer changes it
        private int _tail; // next to read; only the reader changes it
        private long _overruns;

        /// <summary>Bytes dropped because the reader fell behind.</summary>
        public long Overruns => Interlocked.Read(ref _overruns);

        /// <summary>Adds a byte; false (and counted) when the ring is full.</summary>
        public bool TryWrite(byte value)
        {
            int head = _head;
            if (head - Volatile.Read(ref _tail) == Capacity)
            {
                Interlocked.Increment(ref _overruns);
                return false;
            }

            _bytes[head & (Capacity - 1)] = value;
            Volatile.Write(ref _head, head + 1);
            return true;
        }

        /// <summary>Takes the oldest byte if there is one.</summary>
        public bool TryRead(out byte value)
        {
            int tail = _tail;
            if (tail == Volatile.Read(ref _head))
            {
                value = 0;
                return false;
            }

            value = _bytes[tail & (Capacity - 1)];
            Volatile.Write(ref _tail, tail + 1);
            return true;
        }
    }
}
