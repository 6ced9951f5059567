using System;

namespace Cosmos.System.Network
{
    /// <summary>
    /// Congestion control of RFC 5681 (slow start, congestion avoidance, fast retransmit) with the NewReno fast
    /// recovery of RFC 6582. It keeps the windows; the connection sends and retransmits as told.
    /// </summary>
    internal sealed class TcpCongestionControl
    {
        private int _mss;

        public TcpCongestionControl(int mss, uint initialSequence)
        {
            SetMss(mss);
            // RFC 5681 §3.1 (4): ssthresh starts arbitrarily high; RFC 6582 §3.2 (1): recover starts at the ISS.
            SlowStartThreshold = int.MaxValue;
            Recover = initialSequence;
            Window = InitialWindow(mss);
        }

        /// <summary>cwnd in bytes.</summary>
        public long Window { get; private set; }

        /// <summary>ssthresh in bytes.</summary>
        public long SlowStartThreshold { get; private set; }

        /// <summary>Duplicate acknowledgements in a row.</summary>
        public int DuplicateAcks { get; private set; }

        /// <summary>True between a fast retransmit and the full acknowledgement of what was outstanding then.</summary>
        public bool InRecovery { get; private set; }

        /// <summary>RFC 6582's "recover": one past the highest sequence number sent when recovery (or the last timeout) began.</summary>
        public uint Recover { get; private set; }

        /// <summary>Sets the sender MSS once the handshake decided it.</summary>
        public void SetMss(int mss)
        {
            _mss = Math.Max(1, mss);
            if (Window != 0)
            {
                Window = InitialWindow(_mss);
            }
        }

        /// <summary>An acknowledgement of new data. Returns true when it is a partial acknowledgement during recovery: retransmit the first unacknowledged segment.</summary>
        public bool OnNewAck(long bytesAcked, uint acknowledgment, long flightSizeAfter)
        {
            DuplicateAcks = 0;
            if (InRecovery)
            {
                if (TcpSequence.GreaterOrEqual(acknowledgment, Recover))
                {
                    // RFC 6582 §3.2 (3) full acknowledgment, option (1): deflate to what is safe to send now.
                    Window = Math.Min(SlowStartThreshold, Math.Max(flightSizeAfter, _mss) + _mss);
                    InRecovery = false;
                    return false;
                }

                // Partial acknowledgment: deflate by what was acknowledged, add back one MSS if that was at least one MSS.
                Window = Math.Max(_mss, Window - bytesAcked + (bytesAcked >= _mss ? _mss : 0));
                return true;
            }

            if (Window < SlowStartThreshold)
            {
                // RFC 5681 (2): slow start.
                Window += Math.Min(bytesAcked, _mss);
            }
            else
            {
                // RFC 5681 (3): congestion avoidance, about one MSS per round trip.
                Window += Math.Max(1, (long)_mss * _mss / Window);
            }

            return false;
        }

        /// <summary>A duplicate acknowledgement (RFC 5681 §2). Returns true when it is the third and fast retransmit should happen now.</summary>
        public bool OnDuplicateAck(uint acknowledgment, long flightSize, uint highestSent)
        {
            DuplicateAcks++;
            if (InRecovery)
            {
                // RFC 6582 §3.2 (4) / RFC 5681 (4): each further duplicate means a segment left the network.
                Window += _mss;
                return false;
            }

            // RFC 6582 §3.2 (2): only when the acknowledgement covers more than recover, so one loss event is not recovered twice.
            if (DuplicateAcks != 3 || !TcpSequence.GreaterOrEqual(acknowledgment, Recover))
            {
                return false;
            }

            SlowStartThreshold = Math.Max(flightSize / 2, 2L * _mss);
            Recover = highestSent;
            Window = SlowStartThreshold + 3L * _mss;
            InRecovery = true;
            return true;
        }

        /// <summary>The retransmission timer expired (RFC 5681 (4) and §3.1 loss window; RFC 6582 §3.2 (5)).</summary>
        public void OnTimeout(long flightSize, uint highestSent)
        {
            SlowStartThreshold = Math.Max(flightSize / 2, 2L * _mss);
            Window = _mss;
            InRecovery = false;
            DuplicateAcks = 0;
            Recover = highestSent;
        }

        /// <summary>RFC 5681 §3.1 (IW).</summary>
        private static long InitialWindow(int mss) =>
            mss > 2190 ? 2L * mss : mss > 1095 ? 3L * mss : 4L * mss;
    }
}
