namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// The free descriptors of a queue, linked through a private shadow of the <c>next</c> fields.
    /// A chain taken from the list keeps those links, so returning it needs only its head and length;
    /// the device-visible table is never read back (a device that scribbles on it cannot corrupt this list).
    /// </summary>
    internal sealed class DescriptorFreeList
    {
        private readonly ushort[] _next;
        private int _head;
        private int _count;

        public DescriptorFreeList(int size)
        {
            _next = new ushort[size];
            for (int i = 0; i < size - 1; i++)
            {
                _next[i] = (ushort)(i + 1);
            }

            _head = 0;
            _count = size;
        }

        public int Count => _count;

        /// <summary>The descriptor after <paramref name="descriptor"/> in its chain.</summary>
        public ushort NextOf(int descriptor) => _next[descriptor];

        /// <summary>Takes <paramref name="length"/> linked descriptors (the caller checked <see cref="Count"/>); returns the head.</summary>
        public int TakeChain(int length)
        {
            int head = _head;
            int tail = head;
            for (int i = 1; i < length; i++)
            {
                tail = _next[tail];
            }

            _head = _next[tail];
            _count -= length;
            return head;
        }

        /// <summary>Puts back a chain taken by <see cref="TakeChain"/>.</summary>
        public void ReturnChain(int head, int length)
        {
            int tail = head;
            for (int i = 1; i < length; i++)
            {
                tail = _next[tail];
            }

            _next[tail] = (ushort)_head;
            _head = head;
            _count += length;
        }
    }
}
