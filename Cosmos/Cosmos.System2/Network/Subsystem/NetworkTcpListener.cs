using System;
using System.Threading;

namespace Cosmos.System.Network
{
    /// <summary>A TCP listener of the <see cref="NetworkSubsystem"/> whose accept blocks (with a timeout), for threads other than the network thread.</summary>
    public sealed class NetworkTcpListener : IDisposable
    {
        private readonly NetworkSubsystem _network;
        private readonly TcpListener _listener;

        internal NetworkTcpListener(NetworkSubsystem network, TcpListener listener)
        {
            _network = network;
            _listener = listener;
        }

        /// <summary>The port it listens on.</summary>
        public ushort Port => _listener.LocalPort;

        /// <summary>True after <see cref="Close"/>.</summary>
        public bool IsClosed
        {
            get
            {
                lock (_network.SyncRoot)
                {
                    return _listener.IsClosed;
                }
            }
        }

        /// <summary>
        /// Takes the next established connection, waiting up to <paramref name="timeoutMilliseconds"/> (negative: forever):
        /// <see cref="NetworkResult.WouldBlock"/> when none arrived in time, <see cref="NetworkResult.Closed"/> once the
        /// listener was closed (also by another thread while this one waited).
        /// </summary>
        public NetworkResult Accept(long timeoutMilliseconds, out NetworkTcpConnection? connection)
        {
            connection = null;
            lock (_network.SyncRoot)
            {
                long deadline = timeoutMilliseconds < 0 ? long.MaxValue : _network.Stack.Now + timeoutMilliseconds;
                while (true)
                {
                    NetworkResult result = _listener.TryAccept(out TcpConnection? tcp);
                    if (result == NetworkResult.Success)
                    {
                        connection = new NetworkTcpConnection(_network, tcp!);
                        return result;
                    }

                    if (result != NetworkResult.WouldBlock || !_network.WaitForProgress(deadline))
                    {
                        return result;
                    }
                }
            }
        }

        /// <summary>Stops listening (resetting connections nobody accepted) and wakes a thread waiting in <see cref="Accept"/>.</summary>
        public void Close()
        {
            lock (_network.SyncRoot)
            {
                _listener.Close();
                Monitor.PulseAll(_network.SyncRoot);
            }

            _network.Kick();
        }

        /// <summary>Same as <see cref="Close"/>.</summary>
        public void Dispose() => Close();
    }
}
