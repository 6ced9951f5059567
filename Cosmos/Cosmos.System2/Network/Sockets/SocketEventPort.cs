using System;
using System.Collections.Generic;
using System.Threading;

namespace Cosmos.System.Network
{
    /// <summary>One event the port hands out: the user data registered with the socket and what happened.</summary>
    /// <param name="Data">The registration's user data (the async engine passes the socket's descriptor).</param>
    /// <param name="Events">The socket's readiness when the event was posted, masked by the registration.</param>
    public readonly record struct SocketEventRecord(nuint Data, SocketEvents Events);

    /// <summary>
    /// The kernel's epoll: an edge-triggered event queue for the class library's SocketAsyncEngine
    /// (SystemNative_CreateSocketEventPort / TryChangeSocketEventRegistration / WaitForSocketEvents). The network
    /// thread posts an event when a registered socket becomes more ready (see <see cref="KernelSocket.EventSignature"/>);
    /// events of one socket coalesce until the waiter takes them, so the queue never holds more entries than sockets.
    /// </summary>
    public sealed class SocketEventPort
    {
        private readonly object _gate = new object();
        private readonly List<KernelSocket> _ready = new List<KernelSocket>();
        private readonly Dictionary<KernelSocket, SocketEvents> _pending = new Dictionary<KernelSocket, SocketEvents>();
        private bool _closed;

        /// <summary>Events posted since the port was made (for diagnostics).</summary>
        public long EventsPosted { get; private set; }

        /// <summary>Queues <paramref name="events"/> for <paramref name="socket"/> and wakes the waiter.</summary>
        internal void Post(KernelSocket socket, SocketEvents events)
        {
            if (events == SocketEvents.None)
            {
                return;
            }

            lock (_gate)
            {
                if (_pending.TryGetValue(socket, out SocketEvents queued))
                {
                    _pending[socket] = queued | events;
                }
                else
                {
                    _pending.Add(socket, events);
                    _ready.Add(socket);
                }

                EventsPosted++;
                Monitor.Pulse(_gate);
            }
        }

        /// <summary>Drops what is queued for <paramref name="socket"/> (it was closed or deregistered).</summary>
        internal void Forget(KernelSocket socket)
        {
            lock (_gate)
            {
                if (_pending.Remove(socket))
                {
                    _ready.Remove(socket);
                }
            }
        }

        /// <summary>
        /// Blocks until at least one event is queued, then moves up to <paramref name="buffer"/>'s length of them there;
        /// returns how many, or 0 once the port was closed.
        /// </summary>
        public int Wait(Span<SocketEventRecord> buffer)
        {
            if (buffer.IsEmpty)
            {
                throw new ArgumentException("the event buffer has no room", nameof(buffer));
            }

            lock (_gate)
            {
                while (_ready.Count == 0 && !_closed)
                {
                    Monitor.Wait(_gate);
                }

                int count = Math.Min(buffer.Length, _ready.Count);
                for (int i = 0; i < count; i++)
                {
                    KernelSocket socket = _ready[i];
                    buffer[i] = new SocketEventRecord(socket.EventData, _pending[socket]);
                    _pending.Remove(socket);
                }

                _ready.RemoveRange(0, count);
                return count;
            }
        }

        /// <summary>Closes the port: a waiter returns with no events.</summary>
        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
