using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A UDP endpoint bound to a local port, with a bounded queue of received datagrams. Every call returns at once;
    /// <see cref="NetworkResult.WouldBlock"/> means "poll the stack and ask again".
    /// </summary>
    public sealed class UdpSocket
    {
        private readonly UdpService _service;
        private readonly Queue<(Ipv4Address Address, ushort Port, byte[] Data)> _queue = new Queue<(Ipv4Address, ushort, byte[])>();
        private int _queuedBytes;

        internal UdpSocket(UdpService service, Ipv4Address localAddress, ushort localPort)
        {
            _service = service;
            LocalAddress = localAddress;
            LocalPort = localPort;
        }

        /// <summary>The bound address (0.0.0.0 for any).</summary>
        public Ipv4Address LocalAddress { get; }

        /// <summary>The bound port.</summary>
        public ushort LocalPort { get; }

        /// <summary>The peer set by <see cref="Connect"/>, or 0.0.0.0.</summary>
        public Ipv4Address RemoteAddress { get; private set; }

        /// <summary>The peer's port set by <see cref="Connect"/>, or 0.</summary>
        public ushort RemotePort { get; private set; }

        /// <summary>Datagrams the queue holds at most.</summary>
        public int ReceiveQueueLimit { get; set; } = 64;

        /// <summary>Bytes the queue holds at most.</summary>
        public int ReceiveBufferSize { get; set; } = 256 * 1024;

        /// <summary>TTL of the datagrams sent.</summary>
        public byte TimeToLive { get; set; } = 64;

        /// <summary>Allow sending to broadcast addresses (SO_BROADCAST).</summary>
        public bool AllowBroadcast { get; set; }

        /// <summary>Datagrams thrown away because the queue was full.</summary>
        public long DroppedDatagrams { get; private set; }

        /// <summary>Datagrams waiting.</summary>
        public int PendingDatagrams => _queue.Count;

        /// <summary>The size of the next datagram, or -1 when none is waiting.</summary>
        public int NextDatagramLength => _queue.Count == 0 ? -1 : _queue.Peek().Data.Length;

        /// <summary>True when a receive would not block.</summary>
        public bool IsReadable => _queue.Count > 0 || IsClosed;

        /// <summary>True after <see cref="Close"/>.</summary>
        public bool IsClosed { get; private set; }

        /// <summary>Sets the default destination and accepts datagrams from it only (connect on a datagram socket).</summary>
        public void Connect(Ipv4Address remoteAddress, ushort remotePort)
        {
            RemoteAddress = remoteAddress;
            RemotePort = remotePort;
        }

        /// <summary>Sends one datagram to the connected peer.</summary>
        public NetworkResult Send(ReadOnlySpan<byte> data) =>
            RemotePort == 0 ? NetworkResult.NotConnected : SendTo(data, RemoteAddress, RemotePort);

        /// <summary>Sends one datagram to <paramref name="address"/>:<paramref name="port"/>.</summary>
        public NetworkResult SendTo(ReadOnlySpan<byte> data, Ipv4Address address, ushort port)
        {
            if (IsClosed)
            {
                return NetworkResult.Closed;
            }

            if (port == 0)
            {
                return NetworkResult.InvalidArgument;
            }

            if (address.IsBroadcast && !AllowBroadcast)
            {
                return NetworkResult.InvalidArgument;
            }

            return _service.Send(LocalAddress, LocalPort, address, port, data, TimeToLive, null);
        }

        /// <summary>
        /// Takes the next datagram into <paramref name="buffer"/>: <paramref name="length"/> bytes copied; a datagram
        /// larger than the buffer is truncated and reported as <see cref="NetworkResult.MessageTooLarge"/>.
        /// </summary>
        public NetworkResult ReceiveFrom(Span<byte> buffer, out int length, out Ipv4Address address, out ushort port)
        {
            length = 0;
            address = default;
            port = 0;
            if (_queue.Count == 0)
            {
                return IsClosed ? NetworkResult.Closed : NetworkResult.WouldBlock;
            }

            (address, port, byte[] data) = _queue.Dequeue();
            _queuedBytes -= data.Length;
            length = Math.Min(data.Length, buffer.Length);
            data.AsSpan(0, length).CopyTo(buffer);
            return length < data.Length ? NetworkResult.MessageTooLarge : NetworkResult.Success;
        }

        /// <summary>Releases the port and discards queued datagrams.</summary>
        public void Close()
        {
            if (IsClosed)
            {
                return;
            }

            IsClosed = true;
            _queue.Clear();
            _queuedBytes = 0;
            _service.Unbind(this);
        }

        /// <summary>Datagrams ever queued: a change tells an edge-triggered watcher that a receive has work.</summary>
        internal long Arrivals { get; private set; }

        /// <summary>True when this socket takes a datagram sent from <paramref name="source"/> to <paramref name="destination"/>.</summary>
        internal bool Accepts(Ipv4Address source, ushort sourcePort, Ipv4Address destination, bool broadcast)
        {
            if (!LocalAddress.IsAny && !broadcast && destination != LocalAddress)
            {
                return false;
            }

            return RemotePort == 0 || (source == RemoteAddress && sourcePort == RemotePort);
        }

        /// <summary>Queues a received datagram; false when the queue is full.</summary>
        internal bool Enqueue(Ipv4Address source, ushort sourcePort, ReadOnlySpan<byte> data)
        {
            if (_queue.Count >= ReceiveQueueLimit || _queuedBytes + data.Length > ReceiveBufferSize)
            {
                DroppedDatagrams++;
                return false;
            }

            _queue.Enqueue((source, sourcePort, data.ToArray()));
            Arrivals++;
            _queuedBytes += data.Length;
            return true;
        }
    }
}
