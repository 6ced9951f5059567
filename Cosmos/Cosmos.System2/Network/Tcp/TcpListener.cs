using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>A passive open on a port (LISTEN): incoming handshakes complete here and wait, up to the backlog, for <see cref="TryAccept"/>.</summary>
    public sealed class TcpListener
    {
        private readonly TcpService _service;
        private readonly Queue<TcpConnection> _accepted = new Queue<TcpConnection>();
        private readonly List<TcpConnection> _halfOpen = new List<TcpConnection>();

        internal TcpListener(TcpService service, Ipv4Address localAddress, ushort localPort, int backlog)
        {
            _service = service;
            LocalAddress = localAddress;
            LocalPort = localPort;
            Backlog = backlog;
        }

        /// <summary>The bound address (0.0.0.0 for any).</summary>
        public Ipv4Address LocalAddress { get; }

        /// <summary>The port.</summary>
        public ushort LocalPort { get; }

        /// <summary>Connections (established or still in their handshake) that may wait for accept; further SYNs are ignored and retried by the peer.</summary>
        public int Backlog { get; }

        /// <summary>Settings new connections copy; by default the service's.</summary>
        public TcpSettings? Settings { get; set; }

        /// <summary>Established connections waiting for accept.</summary>
        public int PendingConnections => _accepted.Count;

        /// <summary>Handshakes in progress.</summary>
        public int HalfOpenConnections => _halfOpen.Count;

        /// <summary>SYNs ignored because the backlog was full.</summary>
        public long Overflows { get; internal set; }

        /// <summary>True when accept would return a connection.</summary>
        public bool IsReadable => _accepted.Count > 0;

        /// <summary>True after <see cref="Close"/>.</summary>
        public bool IsClosed { get; private set; }

        /// <summary>Takes the next established connection, or returns <see cref="NetworkResult.WouldBlock"/>.</summary>
        public NetworkResult TryAccept(out TcpConnection? connection)
        {
            connection = null;
            if (IsClosed)
            {
                return NetworkResult.Closed;
            }

            while (_accepted.Count > 0)
            {
                TcpConnection candidate = _accepted.Dequeue();
                candidate.Listener = null;
                // A connection reset while it waited is still handed out: the application sees the reset on its first call.
                connection = candidate;
                return NetworkResult.Success;
            }

            return NetworkResult.WouldBlock;
        }

        /// <summary>Stops listening and resets the connections nobody accepted.</summary>
        public void Close()
        {
            if (IsClosed)
            {
                return;
            }

            IsClosed = true;
            _service.Unlisten(this);
            foreach (TcpConnection connection in _halfOpen.ToArray())
            {
                connection.Abort();
            }

            while (_accepted.Count > 0)
            {
                _accepted.Dequeue().Abort();
            }

            _halfOpen.Clear();
        }

        /// <summary>Connections that ever became ready for accept: a change tells an edge-triggered watcher that accept has work.</summary>
        internal long Arrivals { get; private set; }

        internal bool HasRoom => _halfOpen.Count + _accepted.Count < Backlog;

        internal void OnHandshakeStarted(TcpConnection connection)
        {
            connection.Listener = this;
            _halfOpen.Add(connection);
        }

        internal void OnEstablished(TcpConnection connection)
        {
            if (_halfOpen.Remove(connection))
            {
                _accepted.Enqueue(connection);
                Arrivals++;
            }
        }

        /// <summary>A half-open connection died (reset or timed out) before the handshake completed.</summary>
        internal void OnHandshakeFailed(TcpConnection connection)
        {
            _halfOpen.Remove(connection);
        }
    }
}
