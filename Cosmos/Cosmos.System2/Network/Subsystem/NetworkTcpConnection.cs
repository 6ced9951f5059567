using System;
using System.Threading;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A TCP connection of the <see cref="NetworkSubsystem"/> whose calls block (with timeouts) on its readiness, for
    /// threads other than the network thread. A wait that ends without anything happening returns
    /// <see cref="NetworkResult.WouldBlock"/>; the stack's own errors (reset, refused, timed out) are returned as they are.
    /// </summary>
    public sealed class NetworkTcpConnection : IDisposable
    {
        private readonly NetworkSubsystem _network;
        private readonly TcpConnection _connection;

        internal NetworkTcpConnection(NetworkSubsystem network, TcpConnection connection)
        {
            _network = network;
            _connection = connection;
        }

        /// <summary>The peer's address.</summary>
        public Ipv4Address RemoteAddress => _connection.RemoteAddress;

        /// <summary>The peer's port.</summary>
        public ushort RemotePort => _connection.RemotePort;

        /// <summary>The local port.</summary>
        public ushort LocalPort => _connection.LocalPort;

        /// <summary>The connection's state now.</summary>
        public TcpState State
        {
            get
            {
                lock (_network.SyncRoot)
                {
                    return _connection.State;
                }
            }
        }

        /// <summary>
        /// Reads what has arrived into <paramref name="buffer"/>, waiting up to <paramref name="timeoutMilliseconds"/>
        /// (negative: forever) for something: Success with <paramref name="read"/> = 0 is the end of the stream.
        /// </summary>
        public NetworkResult Receive(Span<byte> buffer, long timeoutMilliseconds, out int read)
        {
            lock (_network.SyncRoot)
            {
                long deadline = Deadline(timeoutMilliseconds);
                while (true)
                {
                    NetworkResult result = _connection.Receive(buffer, out read);
                    if (result == NetworkResult.Success && read > 0)
                    {
                        // Reading opened the receive window: the window update may be due now.
                        _network.Kick();
                    }

                    if (result != NetworkResult.WouldBlock || !_network.WaitForProgress(deadline))
                    {
                        return result;
                    }
                }
            }
        }

        /// <summary>
        /// Queues all of <paramref name="data"/>, waiting for send space as the peer acknowledges, up to
        /// <paramref name="timeoutMilliseconds"/> (negative: forever) in all; <paramref name="sent"/> bytes were queued.
        /// </summary>
        public NetworkResult Send(ReadOnlySpan<byte> data, long timeoutMilliseconds, out int sent)
        {
            sent = 0;
            lock (_network.SyncRoot)
            {
                long deadline = Deadline(timeoutMilliseconds);
                while (true)
                {
                    NetworkResult result = _connection.Send(data.Slice(sent), out int written);
                    sent += written;
                    if (written > 0)
                    {
                        _network.Kick();
                    }

                    if (sent == data.Length && result == NetworkResult.Success)
                    {
                        return result;
                    }

                    if (result is not (NetworkResult.Success or NetworkResult.WouldBlock))
                    {
                        return result;
                    }

                    if (!_network.WaitForProgress(deadline))
                    {
                        return NetworkResult.WouldBlock;
                    }
                }
            }
        }

        /// <summary>Queues all of <paramref name="data"/> (see <see cref="Send(ReadOnlySpan{byte}, long, out int)"/>).</summary>
        public NetworkResult Send(ReadOnlySpan<byte> data, long timeoutMilliseconds) => Send(data, timeoutMilliseconds, out _);

        /// <summary>
        /// Closes our direction (a FIN after the queued data) and waits up to <paramref name="lingerMilliseconds"/> for
        /// the data to be acknowledged; true when it was.
        /// </summary>
        public bool Close(long lingerMilliseconds)
        {
            lock (_network.SyncRoot)
            {
                _connection.Close();
                _network.Kick();
                long deadline = Deadline(lingerMilliseconds);
                while (_connection.State is TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck or TcpState.SynReceived)
                {
                    if (!_network.WaitForProgress(deadline))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>Resets the connection at once.</summary>
        public void Abort()
        {
            lock (_network.SyncRoot)
            {
                _connection.Abort();
                Monitor.PulseAll(_network.SyncRoot);
            }
        }

        /// <summary>Closes with a short linger (2 s).</summary>
        public void Dispose() => Close(2_000);

        /// <summary>"10.0.2.15:80 -> 10.0.2.2:51234 Established".</summary>
        public override string ToString()
        {
            lock (_network.SyncRoot)
            {
                return _connection.ToString();
            }
        }

        private long Deadline(long timeoutMilliseconds) => timeoutMilliseconds < 0 ? long.MaxValue : _network.Stack.Now + timeoutMilliseconds;
    }
}
