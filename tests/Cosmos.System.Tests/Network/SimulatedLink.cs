using System;
using System.Collections.Generic;

namespace Cosmos.System.Tests.Network
{
    /// <summary>
    /// A point-to-point Ethernet between two fake devices with a bottleneck rate, a bounded queue (tail drop),
    /// latency, and random loss, duplication and reordering, all in simulated time.
    /// </summary>
    internal sealed class SimulatedLink
    {
        private readonly SimulatedClock _clock;
        private readonly Random _random;
        private readonly PriorityQueue<(FakeNetworkDevice To, byte[] Frame), (long, long)> _inFlight = new();
        private readonly Dictionary<FakeNetworkDevice, long> _busyUntilMicroseconds = new();
        private long _order;

        public SimulatedLink(SimulatedClock clock, int seed)
        {
            _clock = clock;
            _random = new Random(seed);
        }

        public double LossRate { get; set; }

        public double DuplicateRate { get; set; }

        public double ReorderRate { get; set; }

        public long LatencyMilliseconds { get; set; } = 5;

        /// <summary>Bytes per millisecond (12500 is 100 Mbit/s).</summary>
        public long BytesPerMillisecond { get; set; } = 12_500;

        /// <summary>Longest queueing delay before tail drop.</summary>
        public long MaxQueueMilliseconds { get; set; } = 20;

        /// <summary>Returns true to drop a frame on purpose (from, frame).</summary>
        public Func<FakeNetworkDevice, byte[], bool>? Filter { get; set; }

        public long Delivered { get; private set; }

        public long Dropped { get; private set; }

        public long NextDelivery => _inFlight.TryPeek(out _, out (long Time, long) key) ? key.Time : long.MaxValue;

        public bool HasFrames => _inFlight.Count > 0;

        public void Connect(FakeNetworkDevice a, FakeNetworkDevice b)
        {
            a.OnTransmit = frame => Carry(a, b, frame);
            b.OnTransmit = frame => Carry(b, a, frame);
            _busyUntilMicroseconds[a] = 0;
            _busyUntilMicroseconds[b] = 0;
        }

        public void DeliverDue()
        {
            while (_inFlight.TryPeek(out (FakeNetworkDevice To, byte[] Frame) item, out (long Time, long) key) && key.Time <= _clock.Milliseconds)
            {
                _inFlight.Dequeue();
                item.To.Inject(item.Frame);
                Delivered++;
            }
        }

        private void Carry(FakeNetworkDevice from, FakeNetworkDevice to, byte[] frame)
        {
            if (Filter != null && Filter(from, frame))
            {
                Dropped++;
                return;
            }

            long now = _clock.Milliseconds * 1000;
            long start = Math.Max(now, _busyUntilMicroseconds[from]);
            if (start - now > MaxQueueMilliseconds * 1000)
            {
                Dropped++;
                return;
            }

            long done = start + frame.Length * 1000 / BytesPerMillisecond;
            _busyUntilMicroseconds[from] = done;
            if (_random.NextDouble() < LossRate)
            {
                Dropped++;
                return;
            }

            long arrival = (done + 999) / 1000 + LatencyMilliseconds;
            if (_random.NextDouble() < ReorderRate)
            {
                arrival += _random.Next(1, 15);
            }

            _inFlight.Enqueue((to, frame), (arrival, _order++));
            if (_random.NextDouble() < DuplicateRate)
            {
                _inFlight.Enqueue((to, (byte[])frame.Clone()), (arrival + _random.Next(0, 10), _order++));
            }
        }
    }
}
