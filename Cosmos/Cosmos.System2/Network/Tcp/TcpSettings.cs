using System;

namespace Cosmos.System.Network
{
    /// <summary>Per-connection TCP parameters; <see cref="TcpService.Settings"/> holds the defaults new connections copy.</summary>
    public sealed class TcpSettings
    {
        /// <summary>
        /// Receive buffer bytes, the most the window offers; over 65535 needs window scaling (RFC 7323), which is then
        /// offered. The buffer's storage grows with what arrives (TcpByteRing), so the size costs only connections that fill it.
        /// </summary>
        public int ReceiveBufferSize { get; set; } = 512 * 1024;

        /// <summary>Send buffer bytes.</summary>
        public int SendBufferSize { get; set; } = 128 * 1024;

        /// <summary>Offer the window scale option (RFC 7323 §2).</summary>
        public bool WindowScaling { get; set; } = true;

        /// <summary>Send small segments at once instead of waiting for outstanding data to be acknowledged (disables Nagle, RFC 9293 §3.7.4).</summary>
        public bool NoDelay { get; set; }

        /// <summary>Delay before acknowledging a lone segment (RFC 9293 §3.8.6.3: under 500 ms); 0 acknowledges every segment at once.</summary>
        public long DelayedAck { get; set; } = 200;

        /// <summary>The retransmission timeout before any RTT sample (RFC 6298 §2.1).</summary>
        public long InitialRto { get; set; } = 1_000;

        /// <summary>The smallest retransmission timeout (RFC 6298 §2.4: 1 s).</summary>
        public long MinimumRto { get; set; } = 1_000;

        /// <summary>The largest retransmission timeout (RFC 6298 §2.5: at least 60 s).</summary>
        public long MaximumRto { get; set; } = 60_000;

        /// <summary>Retransmissions of one segment before the connection times out.</summary>
        public int MaxRetransmissions { get; set; } = 12;

        /// <summary>Retransmissions of a SYN before connect times out.</summary>
        public int MaxSynRetransmissions { get; set; } = 6;

        /// <summary>How long TIME-WAIT lasts (2 MSL).</summary>
        public long TimeWait { get; set; } = 60_000;

        /// <summary>Idle time before keep-alive probes start; 0 (the default, RFC 1122 §4.2.3.6) turns keep-alive off.</summary>
        public long KeepAliveIdle { get; set; }

        /// <summary>Time between keep-alive probes.</summary>
        public long KeepAliveInterval { get; set; } = 75_000;

        /// <summary>Unanswered probes before the connection times out.</summary>
        public int KeepAliveProbes { get; set; } = 9;

        /// <summary>A copy, so later changes to the defaults leave existing connections alone.</summary>
        public TcpSettings Clone() => (TcpSettings)MemberwiseClone();

        internal void Validate()
        {
            if (ReceiveBufferSize < 1024 || ReceiveBufferSize > (1 << 30) || SendBufferSize < 1024 || SendBufferSize > (1 << 30))
            {
                throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize),
                    $"tcp: buffer sizes {ReceiveBufferSize}/{SendBufferSize} must lie in 1 KiB..1 GiB");
            }

            if (MinimumRto <= 0 || MaximumRto < MinimumRto || InitialRto < MinimumRto)
            {
                throw new ArgumentOutOfRangeException(nameof(MinimumRto), $"tcp: RTO bounds {MinimumRto}/{InitialRto}/{MaximumRto} are inconsistent");
            }
        }
    }
}
