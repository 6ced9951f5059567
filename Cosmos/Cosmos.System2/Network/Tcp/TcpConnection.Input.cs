using System;

namespace Cosmos.System.Network
{
    /// <summary>Segment arrival (RFC 9293 §3.10.7), with the RST and SYN hardening of RFC 5961.</summary>
    public sealed partial class TcpConnection
    {
        /// <summary>Handles one segment addressed to this connection.</summary>
        internal void OnSegment(in TcpHeader header, ReadOnlySpan<byte> data)
        {
            long now = _service.Now;
            if (State == TcpState.SynSent)
            {
                OnSegmentInSynSent(header, data, now);
                return;
            }

            if (State == TcpState.Closed)
            {
                return;
            }

            bool syn = header.Has(TcpFlags.Syn);
            bool fin = header.Has(TcpFlags.Fin);
            bool rst = header.Has(TcpFlags.Rst);
            uint sequence = header.SequenceNumber;

            // A repeated SYN from the peer: our SYN-ACK was lost, send it again.
            if (State == TcpState.SynReceived && syn && !header.Has(TcpFlags.Ack) && !rst && sequence == _irs)
            {
                SendSyn();
                return;
            }

            // First: is the segment acceptable (the four cases of §3.10.7.4)?
            uint window = (uint)ReceiveWindow;
            int segmentLength = data.Length + (syn ? 1 : 0) + (fin ? 1 : 0);
            bool acceptable = segmentLength == 0
                ? (window == 0 ? sequence == _rcvNxt : TcpSequence.InWindow(sequence, _rcvNxt, window))
                : window != 0 && (TcpSequence.InWindow(sequence, _rcvNxt, window)
                    || TcpSequence.InWindow(sequence + (uint)segmentLength - 1, _rcvNxt, window));
            if (!acceptable && window == 0 && sequence == _rcvNxt)
            {
                // A zero window still takes the ACK, RST and control information of the next segment; its text is dropped.
                data = ReadOnlySpan<byte>.Empty;
                fin = false;
                acceptable = true;
            }

            if (!acceptable)
            {
                _service.Counters.Drop(NetworkDropReason.Unacceptable);
                if (!rst)
                {
                    SendAck();
                }

                return;
            }

            // Trim what was already received, then what lies beyond the window.
            if (TcpSequence.LessThan(sequence, _rcvNxt))
            {
                uint skip = _rcvNxt - sequence;
                if (syn)
                {
                    syn = false;
                    skip--;
                }

                if (skip >= (uint)data.Length)
                {
                    if (skip > (uint)data.Length)
                    {
                        fin = false;
                    }

                    data = ReadOnlySpan<byte>.Empty;
                }
                else
                {
                    data = data.Slice((int)skip);
                }

                sequence = _rcvNxt;
            }

            uint room = _rcvNxt + window - sequence;
            if ((uint)data.Length > room)
            {
                data = data.Slice(0, (int)room);
                fin = false;
            }

            // Second: RST. RFC 5961 §3.2: only an exact match resets; anything else in the window is challenged.
            if (rst)
            {
                if (header.SequenceNumber != _rcvNxt)
                {
                    SendAck();
                    return;
                }

                _service.Counters.ResetsReceived++;
                Terminate(State is TcpState.SynReceived ? (Listener != null ? NetworkResult.Success : NetworkResult.ConnectionRefused)
                    : State is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 or TcpState.CloseWait ? NetworkResult.ConnectionReset
                    : NetworkResult.Success);
                return;
            }

            // Fourth: a SYN in a synchronized state is answered with a challenge ACK (RFC 5961 §4.2).
            if (syn)
            {
                SendAck();
                return;
            }

            // Fifth: the ACK field.
            if (!header.Has(TcpFlags.Ack))
            {
                return;
            }

            if (!ProcessAck(header, data.Length == 0 && !fin, now))
            {
                return;
            }

            TouchKeepAlive(now);

            // Seventh: the text.
            if (data.Length > 0 && State is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)
            {
                ReceiveText(sequence, data, now);
            }

            // Eighth: FIN, in order or remembered until the text before it arrives.
            if (fin && State is not (TcpState.Closed))
            {
                uint finSequence = sequence + (uint)data.Length;
                if (finSequence == _rcvNxt)
                {
                    AcceptFin(now);
                }
                else if (TcpSequence.GreaterThan(finSequence, _rcvNxt))
                {
                    _pendingFin = true;
                    _pendingFinSequence = finSequence;
                    SendAck();
                }
            }

            Output();
        }

        /// <summary>
        /// The ACK processing of §3.10.7.4 "fifth": completes the handshake, advances SND.UNA, feeds RTT and
        /// congestion control, updates the send window, and moves the closing states on. False when the segment
        /// must go no further.
        /// </summary>
        private bool ProcessAck(in TcpHeader header, bool pureAck, long now)
        {
            uint ack = header.AcknowledgmentNumber;
            if (State == TcpState.SynReceived)
            {
                if (!TcpSequence.LessThan(_sndUna, ack) || TcpSequence.GreaterThan(ack, _sndMax))
                {
                    _service.SendReset(LocalAddress, LocalPort, RemoteAddress, RemotePort, ack, 0, withAck: false);
                    return false;
                }

                // Our SYN is acknowledged: it took one sequence number and no buffer space.
                _sndUna = _iss + 1;
                if (_timing)
                {
                    _rtt.Sample(now - _timedAt);
                    _timing = false;
                }

                if (_sndUna == _sndMax)
                {
                    _retransmitAt = Off;
                }

                State = _finQueued ? TcpState.FinWait1 : TcpState.Established;
                _service.Counters.PassiveOpens++;
                _sndWnd = (long)header.Window << _sndShift;
                _maxSndWnd = Math.Max(_maxSndWnd, _sndWnd);
                _sndWl1 = header.SequenceNumber;
                _sndWl2 = ack;
                _retransmissions = 0;
                Listener?.OnEstablished(this);
            }

            if (TcpSequence.GreaterThan(ack, _sndMax))
            {
                // It acknowledges something not yet sent.
                _service.Counters.Drop(NetworkDropReason.Unacceptable);
                SendAck();
                return false;
            }

            long advertised = (long)header.Window << _sndShift;
            if (TcpSequence.GreaterThan(ack, _sndUna))
            {
                OnNewAck(ack, now);
                if (State == TcpState.Closed)
                {
                    return false;
                }
            }
            else if (ack == _sndUna && pureAck && advertised == _sndWnd && _sndMax != _sndUna)
            {
                // RFC 5681 §2 duplicate acknowledgement.
                if (_congestion.OnDuplicateAck(ack, _sndMax - _sndUna, _sndMax))
                {
                    RetransmitFirst(now);
                }
            }

            // Update the send window from the newest segment only (SND.WL1, SND.WL2).
            if (TcpSequence.GreaterOrEqual(ack, _sndUna)
                && (TcpSequence.LessThan(_sndWl1, header.SequenceNumber) || (_sndWl1 == header.SequenceNumber && TcpSequence.LessOrEqual(_sndWl2, ack))))
            {
                _sndWnd = advertised;
                _maxSndWnd = Math.Max(_maxSndWnd, advertised);
                _sndWl1 = header.SequenceNumber;
                _sndWl2 = ack;
                if (advertised > 0)
                {
                    _persistAt = Off;
                    _persistBackoff = 0;
                }
            }

            bool finAcked = _finAcked;
            switch (State)
            {
                case TcpState.FinWait1 when finAcked:
                    State = TcpState.FinWait2;
                    break;
                case TcpState.Closing when finAcked:
                    EnterTimeWait(now);
                    break;
                case TcpState.LastAck when finAcked:
                    Terminate(NetworkResult.Success);
                    return false;
                case TcpState.TimeWait:
                    // Only a retransmitted FIN can arrive here: acknowledge it and restart the 2 MSL wait.
                    if (header.Has(TcpFlags.Fin))
                    {
                        SendAck();
                        EnterTimeWait(now);
                    }

                    return false;
            }

            return true;
        }

        /// <summary>New data acknowledged: free the send buffer, sample the RTT, grow cwnd, restart or stop the timer.</summary>
        private void OnNewAck(uint ack, long now)
        {
            uint acked = ack - _sndUna;
            uint finSequence = _sndUna + (uint)_sendBuffer.Count;
            bool coversFin = _finQueued && TcpSequence.GreaterThan(ack, finSequence);
            int dataAcked = (int)Math.Min(acked - (coversFin ? 1u : 0u), (uint)_sendBuffer.Count);
            _sendBuffer.Consume(dataAcked);
            if (coversFin)
            {
                _finAcked = true;
            }

            _sndUna = ack;
            if (TcpSequence.LessThan(_sndNxt, _sndUna))
            {
                _sndNxt = _sndUna;
            }

            if (_timing && TcpSequence.GreaterThan(ack, _timedSequence))
            {
                _rtt.Sample(now - _timedAt);
                _timing = false;
            }

            _retransmissions = 0;
            bool wasInRecovery = _congestion.InRecovery;
            bool partial = _congestion.OnNewAck(acked, ack, _sndMax - _sndUna);
            if (partial)
            {
                RetransmitFirst(now);
            }

            // RFC 6298 §5.2/5.3; during NewReno recovery only the first partial acknowledgement restarts it (§6582 "impatient").
            if (_sndUna == _sndMax)
            {
                _retransmitAt = Off;
            }
            else if (!partial || !wasInRecovery || _congestion.DuplicateAcks == 0)
            {
                SetRetransmitTimer(now);
            }
        }

        /// <summary>Takes in-window text: in order into the receive buffer (then what the out-of-order queue continues), otherwise into the queue.</summary>
        private void ReceiveText(uint sequence, ReadOnlySpan<byte> data, long now)
        {
            if (sequence != _rcvNxt)
            {
                // Out of order: hold it and acknowledge at once so the sender sees the hole (RFC 5681 §4.2).
                _outOfOrder.Add(sequence, data);
                SendAck();
                return;
            }

            int written = _receiveBuffer.Write(data);
            _rcvNxt += (uint)written;
            bool filledHole = _outOfOrder.Count > 0;
            if (filledHole)
            {
                _rcvNxt = _outOfOrder.Drain(_rcvNxt, _receiveBuffer);
            }

            if (_pendingFin && _pendingFinSequence == _rcvNxt)
            {
                _pendingFin = false;
                AcceptFin(now);
                return;
            }

            // Delayed ACK (RFC 9293 §3.8.6.3): at least every second full-sized segment, and at once after a hole fills.
            // "At once" for the second segment means at the end of this poll: the segments that arrived together
            // (one device interrupt's worth) are acknowledged by one ACK, as Linux's GRO does, which halves the
            // ACKs a stream costs; a long batch still gets one every StretchAckSegments.
            _segmentsSinceAck++;
            if (filledHole || _segmentsSinceAck >= StretchAckSegments || _settings.DelayedAck <= 0)
            {
                SendAck();
            }
            else if (_segmentsSinceAck >= 2 || data.Length >= 2 * _mss)
            {
                _delayedAckAt = now;
                _service.ArmTimer(now);
            }
            else if (_delayedAckAt == Off)
            {
                _delayedAckAt = now + _settings.DelayedAck;
                _service.ArmTimer(_delayedAckAt);
            }
        }

        /// <summary>The peer's FIN, in order: the stream ends after the buffered data (§3.10.7.4 "eighth").</summary>
        private void AcceptFin(long now)
        {
            if (!_finReceived)
            {
                _rcvNxt++;
                _finReceived = true;
            }

            _outOfOrder.Clear();
            switch (State)
            {
                case TcpState.SynReceived:
                case TcpState.Established:
                    State = TcpState.CloseWait;
                    _keepAliveAt = Off;
                    break;
                case TcpState.FinWait1:
                    if (_finAcked)
                    {
                        EnterTimeWait(now);
                    }
                    else
                    {
                        State = TcpState.Closing;
                    }

                    break;
                case TcpState.FinWait2:
                case TcpState.TimeWait:
                    EnterTimeWait(now);
                    break;
            }

            SendAck();
        }

        private void EnterTimeWait(long now)
        {
            State = TcpState.TimeWait;
            _retransmitAt = _persistAt = _keepAliveAt = _delayedAckAt = Off;
            _timeWaitAt = now + _settings.TimeWait;
            _service.ArmTimer(_timeWaitAt);
        }

        /// <summary>SYN-SENT (§3.10.7.3): the peer's SYN-ACK completes the open; a bare SYN means a simultaneous open.</summary>
        private void OnSegmentInSynSent(in TcpHeader header, ReadOnlySpan<byte> data, long now)
        {
            bool ackAcceptable = false;
            if (header.Has(TcpFlags.Ack))
            {
                uint ack = header.AcknowledgmentNumber;
                if (TcpSequence.LessOrEqual(ack, _iss) || TcpSequence.GreaterThan(ack, _sndMax))
                {
                    if (!header.Has(TcpFlags.Rst))
                    {
                        _service.SendReset(LocalAddress, LocalPort, RemoteAddress, RemotePort, ack, 0, withAck: false);
                    }

                    return;
                }

                ackAcceptable = true;
            }

            if (header.Has(TcpFlags.Rst))
            {
                if (ackAcceptable)
                {
                    _service.Counters.ResetsReceived++;
                    Terminate(NetworkResult.ConnectionRefused);
                }

                return;
            }

            if (!header.Has(TcpFlags.Syn))
            {
                return;
            }

            _irs = header.SequenceNumber;
            _rcvNxt = header.SequenceNumber + 1;
            ApplyPeerOptions(header, offeredScaling: _settings.WindowScaling);
            if (!ackAcceptable)
            {
                // Simultaneous open: answer with SYN-ACK from SYN-RECEIVED.
                _sndWnd = header.Window;
                _sndWl1 = header.SequenceNumber;
                State = TcpState.SynReceived;
                SendSyn();
                return;
            }

            _sndUna = header.AcknowledgmentNumber;
            if (_timing)
            {
                _rtt.Sample(now - _timedAt);
                _timing = false;
            }

            // RFC 7323 §2.2: the window of a SYN segment is never scaled.
            _sndWnd = header.Window;
            _maxSndWnd = _sndWnd;
            _sndWl1 = header.SequenceNumber;
            _sndWl2 = header.AcknowledgmentNumber;
            _retransmitAt = Off;
            _retransmissions = 0;
            State = _finQueued ? TcpState.FinWait1 : TcpState.Established;
            _service.Counters.ActiveOpens++;
            TouchKeepAlive(now);
            if (data.Length > 0)
            {
                ReceiveText(_rcvNxt, data, now);
            }

            SendAck();
            Output();
        }
    }
}
