using System;

namespace Cosmos.System.Network
{
    /// <summary>
    /// One TCP connection (RFC 9293). Every call returns at once: <see cref="NetworkResult.WouldBlock"/> means
    /// "poll the stack and ask again", and <see cref="Readiness"/> tells when asking again will do something.
    /// The segment handling is in TcpConnection.Input.cs, sending and timers in TcpConnection.Output.cs.
    /// </summary>
    public sealed partial class TcpConnection
    {
        private const long Off = long.MaxValue;

        // Segments of one poll acknowledged together at most (a stretch ACK of 8 full segments, ~11 KiB: far
        // below any window, so the sender never waits on it).
        private const int StretchAckSegments = 8;

        private readonly TcpService _service;
        private readonly TcpSettings _settings;
        private readonly TcpByteRing _sendBuffer;
        private readonly TcpByteRing _receiveBuffer;
        private readonly TcpReassemblyQueue _outOfOrder = new TcpReassemblyQueue();
        private readonly TcpRttEstimator _rtt;
        private TcpCongestionControl _congestion;

        // Send sequence space (RFC 9293 §3.3.1). _sndMax is the highest SND.NXT ever reached, so acknowledgements
        // stay acceptable after a timeout rewinds SND.NXT to SND.UNA (go-back-N).
        private uint _iss;
        private uint _sndUna;
        private uint _sndNxt;
        private uint _sndMax;
        private long _sndWnd;
        private long _maxSndWnd;
        private uint _sndWl1;
        private uint _sndWl2;
        private int _sndShift;
        private int _rcvShift;
        private int _mss;
        private bool _scalingAgreed;
        private bool _finQueued;
        private bool _finAcked;

        // Receive sequence space.
        private uint _irs;
        private uint _rcvNxt;
        private uint _rcvAdvertisedEdge;
        private bool _finReceived;
        private bool _pendingFin;
        private uint _pendingFinSequence;
        private int _segmentsSinceAck;

        // Timers, as clock readings; Off when not running.
        private long _retransmitAt = Off;
        private long _delayedAckAt = Off;
        private long _persistAt = Off;
        private long _timeWaitAt = Off;
        private long _keepAliveAt = Off;
        private int _retransmissions;
        private int _persistBackoff;
        private int _keepAliveProbesSent;

        // RTT measurement of one segment at a time (RFC 6298 §3, Karn).
        private bool _timing;
        private uint _timedSequence;
        private long _timedAt;

        internal TcpConnection(TcpService service, TcpSettings settings, Ipv4Address localAddress, ushort localPort,
            Ipv4Address remoteAddress, ushort remotePort, int localMss)
        {
            _service = service;
            _settings = settings;
            LocalAddress = localAddress;
            LocalPort = localPort;
            RemoteAddress = remoteAddress;
            RemotePort = remotePort;
            _sendBuffer = new TcpByteRing(settings.SendBufferSize);
            _receiveBuffer = new TcpByteRing(settings.ReceiveBufferSize);
            _rtt = new TcpRttEstimator(settings.InitialRto, settings.MinimumRto, settings.MaximumRto);
            LocalMss = localMss;
            _mss = Math.Min(536, localMss);
            _congestion = new TcpCongestionControl(_mss, 0);
        }

        /// <summary>Our address.</summary>
        public Ipv4Address LocalAddress { get; }

        /// <summary>Our port.</summary>
        public ushort LocalPort { get; }

        /// <summary>The peer's address.</summary>
        public Ipv4Address RemoteAddress { get; }

        /// <summary>The peer's port.</summary>
        public ushort RemotePort { get; }

        /// <summary>Where the connection stands.</summary>
        public TcpState State { get; private set; }

        /// <summary>Why the connection failed (refused, reset, timed out, aborted), or <see cref="NetworkResult.Success"/>.</summary>
        public NetworkResult Error { get; private set; }

        /// <summary>The MSS we advertised (the interface MTU less 40).</summary>
        public int LocalMss { get; }

        /// <summary>The segment size we send (the smaller of the peer's MSS and ours).</summary>
        public int SendMss => _mss;

        /// <summary>The shift applied to the peer's advertised windows (0 without window scaling).</summary>
        public int SendWindowScale => _sndShift;

        /// <summary>The shift applied to the windows we advertise (0 without window scaling).</summary>
        public int ReceiveWindowScale => _rcvShift;

        /// <summary>The peer's current window in bytes.</summary>
        public long SendWindow => _sndWnd;

        /// <summary>The congestion window in bytes.</summary>
        public long CongestionWindow => _congestion.Window;

        /// <summary>The slow start threshold in bytes.</summary>
        public long SlowStartThreshold => _congestion.SlowStartThreshold;

        /// <summary>The current retransmission timeout in milliseconds.</summary>
        public long RetransmissionTimeout => _rtt.Rto;

        /// <summary>The smoothed round-trip time in milliseconds (0 before the first sample).</summary>
        public long SmoothedRtt => _rtt.SmoothedRtt;

        /// <summary>When the retransmission timer fires next (clock milliseconds), or long.MaxValue.</summary>
        public long RetransmitDeadline => _retransmitAt;

        /// <summary>Bytes sent but not yet acknowledged, plus the SYN or FIN if outstanding.</summary>
        public long BytesInFlight => _sndMax - _sndUna;

        /// <summary>Bytes waiting to be read.</summary>
        public int BytesAvailable => _receiveBuffer.Count;

        /// <summary>Bytes the send buffer can take now.</summary>
        public int SendSpace => _sendBuffer.Free;

        /// <summary>Segments retransmitted on this connection (timeouts and fast retransmits).</summary>
        public long Retransmissions { get; private set; }

        /// <summary>Zero window probes sent (RFC 9293 §3.8.6.1).</summary>
        public long WindowProbes { get; private set; }

        /// <summary>True once the peer's FIN arrived in order: after the buffered data, receive reports the end of the stream.</summary>
        public bool IsRemoteClosed => _finReceived;

        /// <summary>True while data can flow both ways.</summary>
        public bool IsConnected => State == TcpState.Established || State == TcpState.CloseWait;

        /// <summary>What a call would do without blocking now.</summary>
        public TcpReadiness Readiness
        {
            get
            {
                TcpReadiness readiness = TcpReadiness.None;
                if (_receiveBuffer.Count > 0 || _finReceived || Error != NetworkResult.Success || State == TcpState.Closed)
                {
                    readiness |= TcpReadiness.Readable;
                }

                if ((State == TcpState.Established || State == TcpState.CloseWait) && !_finQueued && _sendBuffer.Free > 0)
                {
                    readiness |= TcpReadiness.Writable;
                }

                if (Error != NetworkResult.Success)
                {
                    readiness |= TcpReadiness.Error;
                }

                if (_finReceived || State == TcpState.Closed)
                {
                    readiness |= TcpReadiness.HangUp;
                }

                return readiness;
            }
        }

        /// <summary>
        /// Queues data for sending: <paramref name="written"/> bytes were taken (fewer than offered when the send
        /// buffer fills). Data given before the handshake completes is sent when it does.
        /// </summary>
        public NetworkResult Send(ReadOnlySpan<byte> data, out int written)
        {
            written = 0;
            if (Error != NetworkResult.Success)
            {
                return Error;
            }

            if (_finQueued)
            {
                return NetworkResult.Closed;
            }

            if (State is not (TcpState.SynSent or TcpState.SynReceived or TcpState.Established or TcpState.CloseWait))
            {
                return NetworkResult.NotConnected;
            }

            if (data.Length == 0)
            {
                return NetworkResult.Success;
            }

            written = _sendBuffer.Write(data);
            if (written == 0)
            {
                return NetworkResult.WouldBlock;
            }

            if (State is TcpState.Established or TcpState.CloseWait)
            {
                Output();
            }

            return NetworkResult.Success;
        }

        /// <summary>
        /// Takes received data: <paramref name="read"/> bytes were copied. Success with 0 bytes is the end of the
        /// stream (the peer closed); <see cref="NetworkResult.WouldBlock"/> means nothing has arrived yet.
        /// </summary>
        public NetworkResult Receive(Span<byte> buffer, out int read)
        {
            read = 0;
            if (_receiveBuffer.Count > 0 && buffer.Length > 0)
            {
                read = _receiveBuffer.Read(buffer);
                UpdateWindowAfterRead();
                return NetworkResult.Success;
            }

            if (_finReceived || buffer.Length == 0)
            {
                return NetworkResult.Success;
            }

            if (Error != NetworkResult.Success)
            {
                return Error;
            }

            return State == TcpState.Closed ? NetworkResult.NotConnected : NetworkResult.WouldBlock;
        }

        /// <summary>
        /// Closes our direction: a FIN follows the data already queued (RFC 9293 §3.10.4). Receiving goes on until the
        /// peer closes too. A connection that is still opening is simply dropped.
        /// </summary>
        public void Close()
        {
            switch (State)
            {
                case TcpState.SynSent:
                    Terminate(NetworkResult.Success);
                    break;
                case TcpState.SynReceived:
                    // RFC 9293 §3.10.4: the FIN waits until the handshake completes (then FIN-WAIT-1).
                    _finQueued = true;
                    break;
                case TcpState.Established:
                    _finQueued = true;
                    State = TcpState.FinWait1;
                    Output();
                    break;
                case TcpState.CloseWait:
                    _finQueued = true;
                    State = TcpState.LastAck;
                    Output();
                    break;
            }
        }

        /// <summary>Resets the connection at once, discarding queued data in both directions (RFC 9293 §3.10.5).</summary>
        public void Abort()
        {
            if (State is TcpState.SynReceived or TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 or TcpState.CloseWait)
            {
                _service.SendReset(this, _sndNxt);
            }

            if (State != TcpState.Closed)
            {
                Terminate(NetworkResult.Closed);
            }
        }

        /// <summary>"10.0.0.1:5000 -> 10.0.0.2:80 Established".</summary>
        public override string ToString() => $"{LocalAddress}:{LocalPort} -> {RemoteAddress}:{RemotePort} {State}";

        /// <summary>Opens actively: sends the SYN (RFC 9293 §3.10.1).</summary>
        internal void Open(uint iss)
        {
            InitializeSend(iss);
            State = TcpState.SynSent;
            _rcvShift = _settings.WindowScaling ? WindowShiftFor(_settings.ReceiveBufferSize) : 0;
            SendSyn();
        }

        /// <summary>Opens passively for a SYN that reached a listener (RFC 9293 §3.10.7.2).</summary>
        internal void Accept(in TcpHeader syn, uint iss)
        {
            InitializeSend(iss);
            _irs = syn.SequenceNumber;
            _rcvNxt = syn.SequenceNumber + 1;
            ApplyPeerOptions(syn, offeredScaling: _settings.WindowScaling);
            _sndWnd = syn.Window;
            _maxSndWnd = _sndWnd;
            _sndWl1 = syn.SequenceNumber;
            State = TcpState.SynReceived;
            SendSyn();
        }

        /// <summary>This connection's own settings (a copy made when it opened); the socket layer changes NoDelay there.</summary>
        internal TcpSettings Settings => _settings;

        /// <summary>RCV.NXT: moves whenever data or a FIN arrives in order, so a change means "readable again" to an edge-triggered watcher.</summary>
        internal uint ReceiveSequence => _rcvNxt;

        /// <summary>SND.UNA: moves whenever the peer acknowledges something, so a change means "send space freed".</summary>
        internal uint AcknowledgedSequence => _sndUna;

        /// <summary>The listener that spawned it, until the application accepts it.</summary>
        internal TcpListener? Listener { get; set; }

        /// <summary>Ends the connection: no more segments, timers stopped, removed from the demultiplexer.</summary>
        private void Terminate(NetworkResult error)
        {
            if (Error == NetworkResult.Success)
            {
                Error = error;
            }

            State = TcpState.Closed;
            _retransmitAt = _delayedAckAt = _persistAt = _timeWaitAt = _keepAliveAt = Off;
            _outOfOrder.Clear();
            _service.Remove(this);
        }

        private void InitializeSend(uint iss)
        {
            _iss = iss;
            _sndUna = iss;
            _sndNxt = iss;
            _sndMax = iss;
            _congestion = new TcpCongestionControl(_mss, iss);
        }

        /// <summary>The smallest shift that lets the whole buffer be advertised in 16 bits (RFC 7323 §2.3).</summary>
        private static int WindowShiftFor(int bufferSize)
        {
            int shift = 0;
            while ((bufferSize >> shift) > ushort.MaxValue && shift < TcpHeader.MaximumWindowScale)
            {
                shift++;
            }

            return shift;
        }

        /// <summary>Takes MSS and window scale from the peer's SYN (RFC 9293 §3.7.1: 536 when absent; RFC 7323 §2.2).</summary>
        private void ApplyPeerOptions(in TcpHeader syn, bool offeredScaling)
        {
            int peerMss = syn.MaximumSegmentSize > 0 ? syn.MaximumSegmentSize : 536;
            _mss = Math.Max(64, Math.Min(peerMss, LocalMss));
            _scalingAgreed = offeredScaling && syn.WindowScale >= 0;
            if (_scalingAgreed)
            {
                _sndShift = syn.WindowScale;
                _rcvShift = WindowShiftFor(_settings.ReceiveBufferSize);
            }
            else
            {
                _sndShift = 0;
                _rcvShift = 0;
            }

            _congestion.SetMss(_mss);
        }
    }
}
