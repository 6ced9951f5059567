using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>
    /// Equal buffers carved from one DMA allocation (the kernel's allocator is page-granular, so one
    /// region for a whole queue's buffers wastes at most a page), each either free or lent to the
    /// device, and the queue token each lent buffer went out under.
    /// </summary>
    internal sealed class VirtioNetBufferPool
    {
        private readonly DmaBuffer _memory;
        private readonly int[] _free;
        private readonly int[] _bufferOfToken;
        private int _freeCount;

        /// <param name="dma">Where the memory comes from.</param>
        /// <param name="count">Buffers in the pool.</param>
        /// <param name="bufferLength">Bytes per buffer.</param>
        /// <param name="queueSize">Tokens run from 0 to this (the queue's descriptor count).</param>
        public VirtioNetBufferPool(IDmaAllocator dma, int count, int bufferLength, int queueSize)
        {
            Count = count;
            BufferLength = bufferLength;
            Stride = (bufferLength + 63) & ~63;
            _memory = dma.Allocate(count * Stride, 64);
            _free = new int[count];
            for (int i = 0; i < count; i++)
            {
                _free[i] = count - 1 - i;
            }

            _freeCount = count;
            _bufferOfToken = new int[queueSize];
            Array.Fill(_bufferOfToken, -1);
        }

        /// <summary>Buffers in the pool.</summary>
        public int Count { get; }

        /// <summary>Usable bytes per buffer.</summary>
        public int BufferLength { get; }

        /// <summary>Bytes from one buffer to the next (cache-line aligned).</summary>
        public int Stride { get; }

        /// <summary>Buffers not lent to the device.</summary>
        public int FreeCount => _freeCount;

        /// <summary>Buffer <paramref name="index"/>.</summary>
        public DmaBuffer this[int index] => _memory.Slice(index * Stride, BufferLength);

        /// <summary>A free buffer's index, or -1 when all are lent.</summary>
        public int Take() => _freeCount == 0 ? -1 : _free[--_freeCount];

        /// <summary>Gives back a buffer taken and never lent (the queue refused it).</summary>
        public void Return(int index) => _free[_freeCount++] = index;

        /// <summary>Records that buffer <paramref name="index"/> went to the device under <paramref name="token"/>.</summary>
        public void Lend(int index, int token) => _bufferOfToken[token] = index;

        /// <summary>The buffer lent under <paramref name="token"/>, now back from the device (-1: none was).</summary>
        public int Reclaim(int token)
        {
            int index = _bufferOfToken[token];
            _bufferOfToken[token] = -1;
            return index;
        }
    }
}
