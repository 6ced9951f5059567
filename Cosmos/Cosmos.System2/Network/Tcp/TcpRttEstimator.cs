using System;

namespace Cosmos.System.Network
{
    /// <summary>
    /// The retransmission timer's value (RFC 6298): SRTT and RTTVAR from RTT samples (§2), exponential backoff on
    /// expiry (§5.5), and the bounds of the settings. Values are kept in 1/8 ms to avoid floating point.
    /// </summary>
    internal sealed class TcpRttEstimator
    {
        private readonly long _minimum;
        private readonly long _maximum;
        private long _srtt8;
        private long _rttvar8;
        private long _baseRto;

        public TcpRttEstimator(long initial, long minimum, long maximum)
        {
            _minimum = minimum;
            _maximum = maximum;
            _baseRto = initial;
            Rto = initial;
        }

        /// <summary>The current retransmission timeout in milliseconds, backoff included.</summary>
        public long Rto { get; private set; }

        /// <summary>True after the first sample.</summary>
        public bool HasSample { get; private set; }

        /// <summary>The smoothed RTT in milliseconds.</summary>
        public long SmoothedRtt => _srtt8 / 8;

        /// <summary>The RTT variation in milliseconds.</summary>
        public long RttVariation => _rttvar8 / 8;

        /// <summary>Times the timer was backed off since the last sample.</summary>
        public int Backoffs { get; private set; }

        /// <summary>Takes one measurement (never of a retransmitted segment: Karn's rule is the caller's, §3).</summary>
        public void Sample(long rtt)
        {
            long r8 = Math.Max(0, rtt) * 8;
            if (!HasSample)
            {
                // (2.2)
                _srtt8 = r8;
                _rttvar8 = r8 / 2;
                HasSample = true;
            }
            else
            {
                // (2.3) with alpha 1/8 and beta 1/4.
                _rttvar8 += (Math.Abs(_srtt8 - r8) - _rttvar8) / 4;
                _srtt8 += (r8 - _srtt8) / 8;
            }

            // RTO = SRTT + max(G, K*RTTVAR) with G 1 ms, K 4; then (2.4) and (2.5).
            _baseRto = Math.Clamp((_srtt8 + Math.Max(8, 4 * _rttvar8)) / 8, _minimum, _maximum);
            Rto = _baseRto;
            Backoffs = 0;
        }

        /// <summary>Doubles the timeout after an expiry (5.5), up to the maximum.</summary>
        public void Backoff()
        {
            Rto = Math.Min(Rto * 2, _maximum);
            Backoffs++;
        }
    }
}
