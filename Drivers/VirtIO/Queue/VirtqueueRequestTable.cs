namespace Cosmos.Drivers.VirtIO.Queue
{
    /// <summary>
    /// Per-request bookkeeping of a queue, indexed by head descriptor (the token): whether it is in
    /// flight or completed, its descriptor count and writable bytes, and the completions not yet
    /// taken, in completion order (an intrusive list, so taking by token or oldest-first is O(1)).
    /// </summary>
    internal sealed class VirtqueueRequestTable
    {
        private const byte Free = 0;
        private const byte InFlight = 1;
        private const byte Completed = 2;
        private const int None = -1;

        private readonly byte[] _state;
        private readonly ushort[] _descriptorCount;
        private readonly ulong[] _writableBytes;
        private readonly uint[] _usedLength;
        private readonly VirtqueueFault[] _fault;
        private readonly int[] _nextCompleted;
        private readonly int[] _previousCompleted;
        private int _oldestCompleted = None;
        private int _newestCompleted = None;

        public VirtqueueRequestTable(int size)
        {
            _state = new byte[size];
            _descriptorCount = new ushort[size];
            _writableBytes = new ulong[size];
            _usedLength = new uint[size];
            _fault = new VirtqueueFault[size];
            _nextCompleted = new int[size];
            _previousCompleted = new int[size];
        }

        public int InFlightCount { get; private set; }

        public int CompletedCount { get; private set; }

        /// <summary>The token of the oldest completion not yet taken, or -1.</summary>
        public int OldestCompleted => _oldestCompleted;

        public bool IsFree(int head) => _state[head] == Free;

        public bool IsInFlight(int head) => _state[head] == InFlight;

        public bool IsCompleted(int head) => _state[head] == Completed;

        public ulong WritableBytes(int head) => _writableBytes[head];

        public void MarkInFlight(int head, int descriptorCount, ulong writableBytes)
        {
            _state[head] = InFlight;
            _descriptorCount[head] = (ushort)descriptorCount;
            _writableBytes[head] = writableBytes;
            _usedLength[head] = 0;
            _fault[head] = default;
            InFlightCount++;
        }

        public void Complete(int head, uint usedLength, VirtqueueFault fault)
        {
            _state[head] = Completed;
            _usedLength[head] = usedLength;
            _fault[head] = fault;
            InFlightCount--;
            CompletedCount++;
            _nextCompleted[head] = None;
            _previousCompleted[head] = _newestCompleted;
            if (_newestCompleted == None)
            {
                _oldestCompleted = head;
            }
            else
            {
                _nextCompleted[_newestCompleted] = head;
            }

            _newestCompleted = head;
        }

        /// <summary>Completes every request in flight with <paramref name="fault"/> (the queue broke).</summary>
        public void FailAllInFlight(VirtqueueFault fault)
        {
            for (int head = 0; head < _state.Length; head++)
            {
                if (_state[head] == InFlight)
                {
                    Complete(head, 0, fault);
                }
            }
        }

        /// <summary>Removes a completed request; returns how many descriptors to give back.</summary>
        public int Take(int head, out uint usedLength, out VirtqueueFault fault)
        {
            int next = _nextCompleted[head];
            int previous = _previousCompleted[head];
            if (previous == None)
            {
                _oldestCompleted = next;
            }
            else
            {
                _nextCompleted[previous] = next;
            }

            if (next == None)
            {
                _newestCompleted = previous;
            }
            else
            {
                _previousCompleted[next] = previous;
            }

            _state[head] = Free;
            CompletedCount--;
            usedLength = _usedLength[head];
            fault = _fault[head];
            return _descriptorCount[head];
        }
    }
}
