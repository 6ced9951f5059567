using System;

namespace Cosmos.System.Network
{
    /// <summary>Sending: segments, windows, the retransmission, delayed-ACK, persist, keep-alive and TIME-WAIT timers.</summary>
    public sealed partial class TcpConnection
    {
        /// <summary>The window we advertise, in bytes, before scaling: what the receive buffer can still take.</summary>
        private long ReceiveWindow => _receiveBuffer.Free;

        /// <summary>Data waits, nothing is in flight to bring an ACK, and the peer's window is too small to send into: probe it.</summary>
        private bool IsWindowBlocked => _sendBuffer.Count > 0 && _sndUna == _sndMax && _sndNxt == _sndMax;

        /// <summary>Runs the timers that are due; returns the earliest one still set.</summary>
        internal long RunTimers(long now)
        {
            if (_timeWaitAt <= now)
            {
                Terminate(NetworkResult.Success);
                return Off;
            }

            if (_retransmitAt <= now)
            {
                OnRetransmitTimeout(now);
            }

            if (State == TcpState.Closed)
            {
                return Off;
            }

            if (_persistAt <= now && !IsWindowBlocked)
            {
                _persistAt = Off;
            }

            if (_persistAt <= now)
            {
                SendProbe();
                WindowProbes++;
                _persistBackoff = Math.Min(_persistBackoff + 1, 16);
                _persistAt = now + Math.Min(_rtt.Rto << Math.Min(_persistBackoff, 6), _settings.MaximumRto);
            }

            if (_keepAliveAt <= now)
            {
                if (_keepAliveProbesSent >= _settings.KeepAliveProbes)
                {
                    _service.SendReset(this, _sndNxt);
                    Terminate(NetworkResult.TimedOut);
                    return Off;
                }

                SendProbe();
                _keepAliveProbesSent++;
                _keepAliveAt = now + _settings.KeepAliveInterval;
            }

            if (_delayedAckAt <= now)
            {
                SendAck();
            }

            return Math.Min(Math.Min(_retransmitAt, _delayedAckAt), Math.Min(Math.Min(_persistAt, _timeWaitAt), _keepAliveAt));
        }

        /// <summary>
        /// Sends what the windows allow (RFC 9293 §3.8.6.2.1 sender SWS avoidance, Nagle unless NoDelay), then the FIN
        /// once the queued data is all out; arms the persist timer when a zero window stops everything.
        /// </summary>
        private void Output()
        {
            if (State is TcpState.Closed or TcpState.SynSent or TcpState.SynReceived or TcpState.TimeWait)
            {
                return;
            }

            long now = _service.Now;
            while (true)
            {
                long inFlight = _sndNxt - _sndUna;
                int unsent = (int)(_sendBuffer.Count - inFlight);
                long usable = Math.Min(_sndWnd, _congestion.Window) - inFlight;
                uint finSequence = _sndUna + (uint)_sendBuffer.Count;
                bool finDue = _finQueued && unsent <= 0 && _sndNxt == finSequence;
                if (unsent <= 0)
                {
                    if (finDue)
                    {
                        SendData(_sndNxt, 0, fin: true, now);
                    }

                    break;
                }

                int length = (int)Math.Min(Math.Min(unsent, _mss), Math.Max(0, usable));
                if (length <= 0)
                {
                    break;
                }

                if (length < _mss)
                {
                    bool allQueuedFits = length == unsent;
                    bool nagleAllows = _settings.NoDelay || inFlight == 0 || _finQueued;
                    bool windowHalfOpen = length >= _maxSndWnd / 2;
                    if (!(allQueuedFits ? nagleAllows : windowHalfOpen))
                    {
                        break;
                    }
                }

                bool withFin = _finQueued && length == unsent;
                SendData(_sndNxt, length, withFin, now);
            }

            if (IsWindowBlocked && _retransmitAt == Off && _persistAt == Off)
            {
                _persistBackoff = 0;
                _persistAt = now + _rtt.Rto;
                _service.ArmTimer(_persistAt);
            }
        }

        /// <summary>Sends data (and FIN) at <paramref name="sequence"/>; a new segment advances SND.NXT, a retransmission does not.</summary>
        private void SendData(uint sequence, int length, bool fin, long now)
        {
            int offset = (int)(sequence - _sndUna);
            TcpFlags flags = TcpFlags.Ack | (length > 0 ? TcpFlags.Psh : 0) | (fin ? TcpFlags.Fin : 0);
            SendSegment(sequence, flags, offset, length);
            uint end = sequence + (uint)length + (fin ? 1u : 0u);
            if (sequence == _sndNxt)
            {
                _sndNxt = end;
            }

            if (TcpSequence.GreaterThan(end, _sndMax))
            {
                if (!_timing && sequence == _sndMax)
                {
                    // Time only new data: never a retransmission (Karn's rule, RFC 6298 §3).
                    _timing = true;
                    _timedSequence = sequence;
                    _timedAt = now;
                }

                _sndMax = end;
            }

            if (_retransmitAt == Off)
            {
                SetRetransmitTimer(now);
            }

            _persistAt = Off;
        }

        /// <summary>Sends our SYN (active open) or SYN-ACK (passive), with MSS and, when negotiated, window scale.</summary>
        private void SendSyn()
        {
            long now = _service.Now;
            bool synAck = State == TcpState.SynReceived;
            // RFC 7323 §1.3: offered in a SYN; in a SYN-ACK only when the peer's SYN offered it.
            int scale = synAck ? (_scalingAgreed ? _rcvShift : -1) : (_settings.WindowScaling ? _rcvShift : -1);
            var header = new TcpHeader(LocalPort, RemotePort, _iss, synAck ? _rcvNxt : 0, synAck ? TcpFlags.Syn | TcpFlags.Ack : TcpFlags.Syn,
                (ushort)Math.Min(ReceiveWindow, ushort.MaxValue), LocalMss, scale);
            _service.Transmit(this, header, null, 0, 0);
            if (_sndMax == _iss)
            {
                _sndMax = _iss + 1;
                _timing = true;
                _timedSequence = _iss;
                _timedAt = now;
            }

            _sndNxt = _iss + 1;
            if (synAck)
            {
                _rcvAdvertisedEdge = _rcvNxt + (uint)Math.Min(ReceiveWindow, ushort.MaxValue);
            }

            SetRetransmitTimer(now);
        }

        /// <summary>Sends one segment built from the send buffer at <paramref name="offset"/>.</summary>
        private void SendSegment(uint sequence, TcpFlags flags, int offset, int length)
        {
            long window = Math.Min(ReceiveWindow >> _rcvShift, ushort.MaxValue);
            var header = new TcpHeader(LocalPort, RemotePort, sequence, _rcvNxt, flags, (ushort)window);
            _service.Transmit(this, header, _sendBuffer, offset, length);
            _rcvAdvertisedEdge = _rcvNxt + (uint)(window << _rcvShift);
            _segmentsSinceAck = 0;
            _delayedAckAt = Off;
        }

        /// <summary>An acknowledgement of everything received so far: &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;.</summary>
        private void SendAck()
        {
            if (State is TcpState.Closed or TcpState.SynSent)
            {
                _delayedAckAt = Off;
                return;
            }

            SendSegment(_sndNxt, TcpFlags.Ack, 0, 0);
        }

        /// <summary>A zero-length segment one below SND.UNA: the peer must answer with an ACK carrying its window (persist and keep-alive).</summary>
        private void SendProbe() => SendSegment(_sndUna - 1, TcpFlags.Ack, 0, 0);

        private void SetRetransmitTimer(long now)
        {
            _retransmitAt = now + _rtt.Rto;
            _service.ArmTimer(_retransmitAt);
        }

        /// <summary>RFC 6298 §5.4-5.6 and RFC 5681 §3.1: back off, shrink cwnd to one segment, resend from SND.UNA.</summary>
        private void OnRetransmitTimeout(long now)
        {
            _retransmitAt = Off;
            if (_sndUna == _sndMax)
            {
                return;
            }

            _retransmissions++;
            int limit = State is TcpState.SynSent or TcpState.SynReceived ? _settings.MaxSynRetransmissions : _settings.MaxRetransmissions;
            if (_retransmissions > limit)
            {
                if (State != TcpState.SynSent)
                {
                    _service.SendReset(this, _sndNxt);
                }

                Terminate(NetworkResult.TimedOut);
                return;
            }

            Retransmissions++;
            _service.Counters.TimeoutRetransmissions++;
            _timing = false;
            _rtt.Backoff();
            if (State is TcpState.SynSent or TcpState.SynReceived)
            {
                SendSyn();
                return;
            }

            _congestion.OnTimeout(_sndMax - _sndUna, _sndMax);
            _sndNxt = _sndUna;
            Output();
            if (_retransmitAt == Off)
            {
                SetRetransmitTimer(now);
            }
        }

        /// <summary>Resends the first unacknowledged segment (fast retransmit, or a NewReno partial acknowledgement).</summary>
        private void RetransmitFirst(long now)
        {
            int length = Math.Min(_mss, _sendBuffer.Count);
            uint finSequence = _sndUna + (uint)_sendBuffer.Count;
            bool fin = _finQueued && length == _sendBuffer.Count && TcpSequence.GreaterThan(_sndMax, finSequence);
            if (length == 0 && !fin)
            {
                return;
            }

            Retransmissions++;
            _service.Counters.FastRetransmissions++;
            if (_timing && TcpSequence.LessOrEqual(_timedSequence, _sndUna + (uint)length))
            {
                _timing = false;
            }

            SendData(_sndUna, length, fin, now);
        }

        /// <summary>Receiver SWS avoidance (RFC 9293 §3.8.6.2.2): announce a reopened window once it grew by enough.</summary>
        private void UpdateWindowAfterRead()
        {
            if (State is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2))
            {
                return;
            }

            uint newEdge = _rcvNxt + (uint)(Math.Min(ReceiveWindow >> _rcvShift, ushort.MaxValue) << _rcvShift);
            int growth = (int)(newEdge - _rcvAdvertisedEdge);
            long threshold = Math.Min(_receiveBuffer.Capacity / 2, 2L * _mss);
            if (growth >= threshold)
            {
                SendAck();
            }
        }

        /// <summary>Restarts the keep-alive idle timer after traffic (RFC 1122 §4.2.3.6).</summary>
        private void TouchKeepAlive(long now)
        {
            if (_settings.KeepAliveIdle > 0 && State == TcpState.Established)
            {
                _keepAliveProbesSent = 0;
                _keepAliveAt = now + _settings.KeepAliveIdle;
                _service.ArmTimer(_keepAliveAt);
            }
            else
            {
                _keepAliveAt = Off;
            }
        }
    }
}
