using System;
using Cosmos.Core.Pal;
using Cosmos.System.IO;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A socket as an open file description: it lives in the <see cref="FileDescriptorTable"/>, so close, read, write
    /// and poll work on its descriptor. Every call returns a count (≥ 0) or a negated <see cref="Errno"/> value and runs
    /// holding the network's lock; a blocking socket waits on that lock's monitor, pulsed by the network thread after
    /// every poll, so a blocked caller sleeps until the stack has moved.
    /// </summary>
    public abstract class KernelSocket : OpenFile
    {
        private protected KernelSocket(SocketCalls calls)
        {
            Calls = calls;
        }

        /// <summary>SOCK_STREAM or SOCK_DGRAM, with System.Net.Sockets.SocketType's values (1, 2).</summary>
        public abstract int SocketType { get; }

        /// <summary>IPPROTO_TCP (6) or IPPROTO_UDP (17).</summary>
        public abstract int Protocol { get; }

        /// <summary>O_NONBLOCK: calls return EWOULDBLOCK instead of waiting.</summary>
        public bool NonBlocking { get; set; }

        /// <summary>SO_RCVTIMEO in milliseconds; 0 waits forever.</summary>
        public int ReceiveTimeout { get; set; }

        /// <summary>SO_SNDTIMEO in milliseconds; 0 waits forever.</summary>
        public int SendTimeout { get; set; }

        /// <summary>SO_REUSEADDR.</summary>
        public bool ReuseAddress { get; set; }

        /// <summary>SO_LINGER's switch.</summary>
        public bool LingerEnabled { get; set; }

        /// <summary>SO_LINGER's time in seconds; enabled with 0, close resets the connection.</summary>
        public int LingerSeconds { get; set; }

        /// <summary>True after the last descriptor closed.</summary>
        public bool IsClosed { get; private set; }

        /// <summary>The listener flag of SystemNative_GetSocketType.</summary>
        public virtual bool IsListening => false;

        /// <summary>Bytes a receive would return now (FIONREAD): buffered stream bytes, or the next datagram's size.</summary>
        public abstract int BytesAvailable { get; }

        /// <summary>What the socket is ready for now (level-triggered, as poll sees it).</summary>
        public abstract SocketEvents Readiness { get; }

        /// <summary>The network's lock, which every call on the socket holds; take it to read several properties at one instant.</summary>
        public object SyncRoot => Calls.Network.SyncRoot;

        internal SocketCalls Calls { get; }

        internal NetworkSubsystem Network => Calls.Network;

        /// <summary>The event port the socket is registered with, its user data and events (TryChangeSocketEventRegistration).</summary>
        internal SocketEventPort? EventPort { get; set; }

        internal nuint EventData { get; set; }

        internal SocketEvents RegisteredEvents { get; set; }

        /// <summary>The last <see cref="EventSignature"/> the event port reported.</summary>
        internal long ReportedSignature { get; set; } = long.MinValue;

        /// <summary>
        /// A value that changes whenever the socket becomes more ready (data, a connection, acknowledged space, a state
        /// change): the edge an edge-triggered watcher is told about, even when the level stayed "readable".
        /// </summary>
        internal abstract long EventSignature { get; }

        /// <summary>bind.</summary>
        public abstract int Bind(Ipv4EndPoint local);

        /// <summary>listen.</summary>
        public virtual int Listen(int backlog) => -Errno.ENOTSUP;

        /// <summary>accept: the new socket (blocking, like accept4 without SOCK_NONBLOCK) and its peer.</summary>
        public virtual int Accept(out KernelSocket? accepted, out Ipv4EndPoint peer)
        {
            accepted = null;
            peer = default;
            return -Errno.ENOTSUP;
        }

        /// <summary>connect; a non-blocking socket returns EINPROGRESS and finishes in the background.</summary>
        public abstract int Connect(Ipv4EndPoint remote);

        /// <summary>send/sendto (<paramref name="destination"/> null for the connected peer); the bytes taken.</summary>
        public abstract int Send(ReadOnlySpan<byte> data, Ipv4EndPoint? destination, bool dontWait);

        /// <summary>recv/recvfrom: the bytes copied; <paramref name="truncated"/> when a datagram did not fit.</summary>
        public abstract int Receive(Span<byte> buffer, bool peek, bool dontWait, out Ipv4EndPoint source, out bool truncated);

        /// <summary>shutdown: 0 receive, 1 send, 2 both (System.Net.Sockets.SocketShutdown).</summary>
        public abstract int Shutdown(int how);

        /// <summary>getsockname.</summary>
        public abstract int GetLocalEndPoint(out Ipv4EndPoint local);

        /// <summary>getpeername.</summary>
        public abstract int GetRemoteEndPoint(out Ipv4EndPoint remote);

        /// <summary>SO_ERROR: the pending error (a negated errno, or 0), cleared by reading it.</summary>
        public virtual int TakeError() => 0;

        /// <summary>Resets the connection at once (SystemNative_Disconnect).</summary>
        public virtual int Disconnect() => -Errno.ENOTSUP;

        /// <summary>TCP_NODELAY.</summary>
        public virtual bool NoDelay { get => false; set { } }

        /// <summary>SO_RCVBUF in bytes.</summary>
        public abstract int ReceiveBufferSize { get; set; }

        /// <summary>SO_SNDBUF in bytes.</summary>
        public abstract int SendBufferSize { get; set; }

        /// <summary>SO_BROADCAST.</summary>
        public virtual bool Broadcast { get => false; set { } }

        /// <summary>SO_KEEPALIVE.</summary>
        public virtual bool KeepAlive { get => false; set { } }

        /// <inheritdoc/>
        public override int Read(Span<byte> buffer) => Receive(buffer, peek: false, dontWait: false, out _, out _);

        /// <inheritdoc/>
        public override int Write(ReadOnlySpan<byte> buffer) => Send(buffer, null, dontWait: false);

        /// <inheritdoc/>
        public override FileStatus Status => new FileStatus(FileKind.Socket, 0, FileStatus.NoTime, FileStatus.NoTime, false, 0);

        /// <inheritdoc/>
        public override bool CanReadWithoutBlocking
        {
            get
            {
                lock (Network.SyncRoot)
                {
                    return (Readiness & (SocketEvents.Read | SocketEvents.ReadClose | SocketEvents.Close | SocketEvents.Error)) != 0;
                }
            }
        }

        /// <summary>The last descriptor closed: the socket goes (gracefully or, with a zero linger, by reset).</summary>
        public sealed override void Release()
        {
            lock (Network.SyncRoot)
            {
                if (IsClosed)
                {
                    return;
                }

                IsClosed = true;
                Calls.Unregister(this);
                CloseCore();
                global::System.Threading.Monitor.PulseAll(Network.SyncRoot);
            }

            Network.Kick();
        }

        /// <summary>Holding the network's lock: releases the stack's endpoint.</summary>
        private protected abstract void CloseCore();

        /// <summary>The clock reading when a wait of <paramref name="timeoutMilliseconds"/> (0: none) ends.</summary>
        private protected long DeadlineAfter(int timeoutMilliseconds) =>
            timeoutMilliseconds <= 0 ? long.MaxValue : Network.Stack.Now + timeoutMilliseconds;

        /// <summary>Holding the lock: waits for the next poll; false when <paramref name="deadline"/> passed (the call then reports EWOULDBLOCK, as SO_RCVTIMEO does).</summary>
        private protected bool WaitUntil(long deadline) => Network.WaitForProgress(deadline);
    }
}
